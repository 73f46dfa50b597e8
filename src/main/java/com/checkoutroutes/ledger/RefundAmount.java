package com.checkoutroutes.ledger;

/** An amount to refund: a currency (ISO 4217) and a value in its minor units ({@code USD 12.50} is 1250). */
public record RefundAmount(String currency, long value) {
}
