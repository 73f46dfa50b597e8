package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;

/**
 * Sends an UNKNOWN (or long REQUESTED) attempt's stored request to Antom again, once an inquiry found that Antom never
 * received it, or has it without the attempt ever recording its answer. The
 * order intake does it (it knows the request and records the answer with the buyer's continuation); the janitor,
 * which finds such attempts, asks through this, so the scheduled flows do not reach into the order intake.
 */
public interface PaymentResender {

    /**
     * The attempt's state afterwards; unchanged when it moved meanwhile and nothing was sent. {@code why} goes into
     * its history.
     */
    PaymentState resend(PaymentAttempt unknown, String why);
}
