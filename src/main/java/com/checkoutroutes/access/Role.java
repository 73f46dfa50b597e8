package com.checkoutroutes.access;

/** Who may call which door (Spring authorities {@code ROLE_<name>}); DoorSecurity maps each door to one. */
public enum Role {
    /** {@code POST /orders}: publishes orders, as the order system does on Kafka. */
    ORDER_PUBLISHER,
    /**
     * The operator API ({@code GET /payments...}, {@code GET /shipment-checks/...}), the operator console (whose
     * actions move money: refunds, cancels) and the actuator's details, metrics and prometheus.
     */
    OPERATOR,
    /**
     * The actuator's details, metrics and prometheus only: a monitoring client's credential (Prometheus keeps it in
     * its config), which must not open the console, whose actions move money, nor the payments' data.
     */
    MONITOR;

    public String authority() {
        return "ROLE_" + name();
    }

    /** {@code operator}, {@code ORDER_PUBLISHER} or {@code order-publisher}; null when it names no role of ours. */
    static Role named(String name) {
        String normal = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Role role : values()) {
            if (role.name().equals(normal)) {
                return role;
            }
        }
        return null;
    }
}
