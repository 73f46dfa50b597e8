package com.checkoutroutes.doors;

import java.io.IOException;

/** A body went past its door's limit while it was being read. */
class BodyTooLargeException extends IOException {

    BodyTooLargeException(long limit) {
        super("body larger than " + limit + " bytes");
    }
}
