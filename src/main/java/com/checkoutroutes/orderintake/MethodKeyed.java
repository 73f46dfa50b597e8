package com.checkoutroutes.orderintake;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Settings keyed by paymentMethodType, whatever case they were bound in. */
final class MethodKeyed {

    private MethodKeyed() {
    }

    /**
     * An unmodifiable copy whose keys match in any case: as written in YAML (GCASH) or as an environment variable binds
     * them (gcash); an empty value is kept for the validation to name it, none given is empty.
     */
    static <V> Map<String, V> copyOf(Map<String, V> byMethod) {
        Map<String, V> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (byMethod != null) {
            copy.putAll(byMethod);
        }
        return Collections.unmodifiableMap(copy);
    }
}
