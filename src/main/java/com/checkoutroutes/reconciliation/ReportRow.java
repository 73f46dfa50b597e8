package com.checkoutroutes.reconciliation;

/** One transaction of Antom's transaction report, its amount converted back to minor units. */
public record ReportRow(int line, String transactionId, String originalTransactionId, String transactionRequestId,
        String transactionType, String transactionStatus, long amountMinor, String currency) {
}
