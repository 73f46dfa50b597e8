package com.checkoutroutes.results;

import com.alipay.global.api.model.Result;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Transaction;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.model.ams.TransactionType;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.checkoutroutes.gateway.CallOutcome;
import java.util.List;

/** Antom's answers to inquiryPayment, as the unit tests of inquiries build them. */
final class InquiryAnswers {

    private InquiryAnswers() {
    }

    /** Payment {@code prid} (paymentId PAY-1) in {@code status}, with {@code transactions} listed. */
    static CallOutcome<AlipayPayQueryResponse> payment(String prid, TransactionStatusType status,
            Transaction... transactions) {
        Result result = new Result();
        result.setResultStatus(ResultStatusType.S);
        result.setResultCode("SUCCESS");
        AlipayPayQueryResponse response = new AlipayPayQueryResponse();
        response.setResult(result);
        response.setPaymentRequestId(prid);
        response.setPaymentId("PAY-1");
        response.setPaymentStatus(status);
        response.setTransactions(List.of(transactions));
        return new CallOutcome.Answered<>(response, 1);
    }

    static Transaction transaction(TransactionType type, String requestId, TransactionStatusType status) {
        Transaction transaction = new Transaction();
        transaction.setTransactionType(type);
        transaction.setTransactionRequestId(requestId);
        transaction.setTransactionStatus(status);
        return transaction;
    }
}
