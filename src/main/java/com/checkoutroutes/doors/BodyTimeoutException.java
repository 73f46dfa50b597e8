package com.checkoutroutes.doors;

import java.io.IOException;

/** A body was still arriving when its time was up. */
class BodyTimeoutException extends IOException {

    BodyTimeoutException() {
        super("body not complete in time");
    }
}
