package com.checkoutroutes.notifications;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything a notification could change, per table as "row count / md5 of the rows", so "changed nothing" is one
 * equality and a failure names the table. Left out: the janitor's scheduling columns and the relay's published_at,
 * which move on their own and are not a notification's doing.
 */
record LedgerSnapshot(Map<String, String> tables) {

    private static final Map<String, String> QUERIES = Map.of(
            "payment_attempt", "SELECT COUNT(*) || ' / ' || COALESCE(md5(string_agg(concat_ws(',', payment_request_id, "
                    + "state, payment_id, result_code, result_message, flagged, flag_reason, version, updated_at, "
                    + "confirmed_at, paid_at, capture_request_id, capture_id), '|' ORDER BY payment_request_id)), '-') "
                    + "FROM payment_attempt",
            "payment_transition", "SELECT COUNT(*) || ' / ' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t.id)), '-') "
                    + "FROM payment_transition t",
            "notification_inbox", "SELECT COUNT(*) || ' / ' || COALESCE(md5(string_agg(i::text, '|' ORDER BY i.id)), '-') "
                    + "FROM notification_inbox i",
            "outbox_event", "SELECT COUNT(*) || ' / ' || COALESCE(md5(string_agg(concat_ws(',', id, destination, "
                    + "message_key, payload, created_at), '|' ORDER BY id)), '-') FROM outbox_event");

    static LedgerSnapshot take(JdbcTemplate jdbc) {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String table : new String[] {"payment_attempt", "payment_transition", "notification_inbox", "outbox_event"}) {
            tables.put(table, jdbc.queryForObject(QUERIES.get(table), String.class));
        }
        return new LedgerSnapshot(tables);
    }

    /** The same snapshot without the tables a documented answer is allowed to change. */
    LedgerSnapshot without(String... changedTables) {
        Map<String, String> rest = new LinkedHashMap<>(tables);
        for (String table : changedTables) {
            rest.remove(table);
        }
        return new LedgerSnapshot(rest);
    }
}
