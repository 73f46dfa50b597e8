package com.checkoutroutes.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port nothing listens on, for a server a test starts later. Two things made port 0 unsafe with two test JVMs:
 * a port the kernel handed out and we closed again could be handed to the other JVM, or taken as the local end of
 * an outgoing connection, before our server bound it ("Address already in use"). So ports come from below the
 * kernel's ephemeral range (32768 and up, never used for outgoing connections), and each is claimed with a file
 * lock that every test JVM on the machine honours and the OS drops when the claiming JVM ends, even by SIGKILL.
 */
public final class FreePort {

    private static final int FIRST = 20000;
    private static final int LAST = 32000;
    private static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"), "checkout-routes-ports");
    private static final List<FileLock> HELD = new CopyOnWriteArrayList<>();

    private FreePort() {
    }

    public static int find() {
        try {
            Files.createDirectories(CLAIMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int span = LAST - FIRST;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST + (start + i) % span;
            if (claim(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + ".." + LAST);
    }

    private static boolean claim(int port) {
        try {
            FileChannel channel = FileChannel.open(CLAIMS.resolve(port + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ownedHere) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return false;
            }
            HELD.add(lock); // kept until this JVM ends: the port stays ours for every server we start on it
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false; // someone outside our tests listens here; the claim stays held so we skip it next time
        }
    }
}
