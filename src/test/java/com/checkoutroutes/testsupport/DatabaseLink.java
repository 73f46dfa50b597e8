package com.checkoutroutes.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spring context's path to the real PostgreSQL, through a TCP relay on loopback that a test can cut or silence:
 * an outage as the application sees it without stopping the shared server. One link per context, so that a test
 * breaking its own database path leaves the other contexts of its JVM (their janitors, relays, pools) alone.
 */
public final class DatabaseLink {

    private static final Map<Integer, DatabaseLink> BY_PORT = new ConcurrentHashMap<>();
    /** A PostgreSQL URL's server: its host and port. */
    private static final Pattern SERVER = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Relayed> open = ConcurrentHashMap.newKeySet();
    private volatile boolean up = true;

    private DatabaseLink(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "db-link-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * {@code jdbcUrl} through a new link of its own, on loopback, to the server it names: a context's datasource URL.
     */
    public static String openFor(String jdbcUrl) {
        Matcher server = SERVER.matcher(jdbcUrl);
        if (!server.find()) {
            throw new IllegalArgumentException("no host and port in " + jdbcUrl);
        }
        try {
            DatabaseLink link = new DatabaseLink(server.group(1), Integer.parseInt(server.group(2)));
            BY_PORT.put(link.port(), link);
            return server.replaceFirst("jdbc:postgresql://127.0.0.1:" + link.port() + "/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The link a context's {@code spring.datasource.url} goes through. */
    public static DatabaseLink serving(String jdbcUrl) {
        Matcher server = SERVER.matcher(jdbcUrl);
        DatabaseLink link = server.find() ? BY_PORT.get(Integer.parseInt(server.group(2))) : null;
        if (link == null) {
            throw new IllegalArgumentException("no database link serves " + jdbcUrl);
        }
        return link;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The database becomes unreachable: open connections drop, new ones are refused. */
    public void cut() {
        up = false;
        open.forEach(Relayed::close);
        open.clear();
    }

    public void restore() {
        up = true;
    }

    /**
     * The open connections go silent for good, neither closed nor answered, as after a failover behind a NAT or a
     * firewall that drops a flow: what is sent on them is swallowed. New connections work.
     */
    public void silence() {
        open.forEach(relayed -> relayed.silent = true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!up) {
                    closeQuietly(client);
                    continue;
                }
                Relayed relayed = new Relayed(client, new Socket(targetHost, targetPort));
                open.add(relayed);
                pump(relayed, relayed.client, relayed.db);
                pump(relayed, relayed.db, relayed.client);
            } catch (IOException e) {
                // a refused or broken connection is what an outage looks like; keep accepting
            }
        }
    }

    private void pump(Relayed relayed, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!relayed.silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                relayed.close();
                open.remove(relayed);
            }
        }, "db-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One application connection and the relay's connection to the server behind it. */
    private static final class Relayed {
        final Socket client;
        final Socket db;
        volatile boolean silent;

        Relayed(Socket client, Socket db) {
            this.client = client;
            this.db = db;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(db);
        }
    }
}
