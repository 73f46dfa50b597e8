package com.checkoutroutes.sandbox;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The records of one kind (API calls, notification attempts) the control API shows, oldest first. All of them by
 * default; with a limit only the newest ones, so that a long load run's sandbox does not keep every record of the
 * run in memory.
 */
final class RecentRecords<T> {

    private final ArrayDeque<T> records = new ArrayDeque<>();
    /** 0: keep all. */
    private int limit;

    synchronized void add(T record) {
        records.addLast(record);
        trim();
    }

    synchronized void keepAtMost(int newLimit) {
        limit = Math.max(0, newLimit);
        trim();
    }

    synchronized List<T> matching(Predicate<T> filter) {
        return records.stream().filter(filter).toList();
    }

    synchronized void clear() {
        records.clear();
    }

    private void trim() {
        while (limit > 0 && records.size() > limit) {
            records.removeFirst();
        }
    }
}
