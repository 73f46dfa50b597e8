package com.checkoutroutes.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Many lookups by id in one statement: the rows whose one column or another holds one of the ids given. */
final class ByIds {

    private ByIds() {
    }

    static <T> List<T> query(JdbcTemplate jdbc, String select, String column, Collection<String> ids,
            String otherColumn, Collection<String> otherIds, RowMapper<T> row) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> values = new HashMap<>();
        if (!ids.isEmpty()) {
            conditions.add(column + " IN (:ids)");
            values.put("ids", ids);
        }
        if (!otherIds.isEmpty()) {
            conditions.add(otherColumn + " IN (:otherIds)");
            values.put("otherIds", otherIds);
        }
        return conditions.isEmpty() ? List.of() : new NamedParameterJdbcTemplate(jdbc).query(select + " WHERE "
                + String.join(" OR ", conditions), values, row);
    }
}
