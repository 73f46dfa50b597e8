package com.checkoutroutes.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port nothing listens on, for a server a test starts. Each surefire JVM takes its own block below the kernel's
 * ephemeral range (32768 and up): a port the kernel handed out for port 0 could be given again to the other test
 * JVM, or to an outgoing connection, before the server bound it ("Address already in use").
 */
public final class FreePort {

    private static final int BLOCK = 3000;
    private static final int FIRST = 20000 + BLOCK * (Integer.getInteger("surefire.forkNumber", 0) % 4);
    private static final AtomicInteger NEXT = new AtomicInteger();

    private FreePort() {
    }

    public static int find() {
        for (int tries = 0; tries < BLOCK; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), BLOCK);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use (a server of an earlier test, or someone else's): the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + ".." + (FIRST + BLOCK - 1));
    }
}
