package com.checkoutroutes.doors;

import com.checkoutroutes.doors.DoorSettings.Door;
import com.checkoutroutes.platform.QuietLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Every HTTP request passes here before the application: its body is read whole on the container's thread, bounded
 * (Content-Length first, then counted while reading) and in time, so a huge body costs at most its door's limit in
 * memory and a slow one only a container thread for its door's body-timeout, never one of the threads
 * that run the routes. Each door (orders, notifications, operator reads) serves at most its {@code max-concurrent}
 * at once, counted from before its body is read, and answers 503 beyond that (paths no door lists: 8 at once): one
 * door flooded, fed bodies a byte at a time, or stuck on the database leaves the others their share of the
 * container's threads. Refusals are JSON with a code, and logged without the body. The management port has an
 * instance of its own ({@link #managementPort}).
 */
public class DoorLimits extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(DoorLimits.class);
    /** Refusals are anyone's to cause: a line per door and code every 10 s at most. */
    private final QuietLog refusedLog = new QuietLog(java.time.Duration.ofSeconds(10));

    /** Requests at once to paths no door lists (each refused or not found, but their bodies are read first). */
    static final int OTHER_CONCURRENT = 8;

    private final List<Entry> doors;
    private final Semaphore otherPermits = new Semaphore(OTHER_CONCURRENT);
    /** Whether paths no door lists reach this port's "other" door (the management port's last door takes them all). */
    private final boolean otherReached;
    private final int otherMaxBytes;
    private final long otherBodyTimeoutNanos;
    /** {@link System#nanoTime()}; a test's own clock, so that a trickling body takes no real time. */
    private final LongSupplier nanoTime;

    /**
     * A door as this filter keeps it: the permits of its requests in progress and how long its bodies may take; {@code takesBodies} false: a request with a body is refused before a place;
     * {@code jsonOnly}: a form body, or one in a charset this JVM does not have, is refused (415) before a place.
     */
    private record Entry(String name, List<String> paths, Door door, Semaphore permits, long bodyTimeoutNanos,
            boolean takesBodies, boolean jsonOnly) {

        boolean covers(String path) {
            return paths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"));
        }
    }

    /** The doors' port: orders, Antom's notifications, the operator API. */
    public DoorLimits(DoorSettings settings) {
        this(settings, System::nanoTime);
    }

    DoorLimits(DoorSettings settings, LongSupplier nanoTime) {
        this(List.of(jsonDoor("orders", settings.orders(), settings),
                jsonDoor("notifications", settings.notifications(), settings),
                jsonDoor("operator", settings.operator(), settings)), true, settings, nanoTime);
    }

    private DoorLimits(List<Entry> doors, boolean otherReached, DoorSettings settings, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.doors = doors;
        this.otherReached = otherReached;
        this.otherMaxBytes = settings.otherMaxBytes();
        this.otherBodyTimeoutNanos = settings.bodyTimeout().toNanos();
    }

    /**
     * The management port: the probes and scrapes (listed first, with places of their own, so that a busy console
     * never fails the kubelet's probes; liveness apart from the others; no bodies) and everything else there (the
     * console's forms, the rest of the actuator).
     */
    public static DoorLimits managementPort(DoorSettings settings) {
        return managementPort(settings, System::nanoTime);
    }

    static DoorLimits managementPort(DoorSettings settings, LongSupplier nanoTime) {
        Door probes = settings.probes();
        // liveness alone too: readiness and health wait on the database, and a stalled one must not fail liveness
        Door liveness = new Door(probes.paths().stream().filter(path -> path.endsWith("/health"))
                .map(path -> path + "/liveness").toList(), probes.maxBytes(),
                probes.maxConcurrent(), probes.bodyTimeout());
        return new DoorLimits(List.of(entry("liveness", liveness, settings, false, false),
                entry("probes", probes, settings, false, false), entry("management", settings.management(), settings)),
                false, settings, nanoTime);
    }

    /**
     * The places taken at each door of this port now (requests, with the routes they handed on), as the gauge
     * {@code checkout.doors.in.use} tagged with the door's name: at its {@code max-concurrent} the door answers BUSY.
     */
    public void bindTo(MeterRegistry registry) {
        for (Entry entry : doors) {
            gauge(registry, entry.name(), entry.permits(), entry.door().maxConcurrent());
        }
        if (otherReached) {
            gauge(registry, "other", otherPermits, OTHER_CONCURRENT);
        }
    }

    private static void gauge(MeterRegistry registry, String door, Semaphore permits, int places) {
        Gauge.builder("checkout.doors.in.use", permits, p -> places - p.availablePermits()).tag("door", door)
                .description("places taken at an HTTP door (requests and the routes they run); BUSY at max-concurrent")
                .register(registry);
    }


    private static Entry entry(String name, Door door, DoorSettings settings) {
        return entry(name, door, settings, true, false);
    }

    /**
     * A door whose routes take JSON: Camel's platform-http splits a form body into parameters before any route runs,
     * and a part it cannot split fails there, answered 500 and logged with the body; an unknown charset fails only
     * when the answer is written, after the route acted.
     */
    private static Entry jsonDoor(String name, Door door, DoorSettings settings) {
        return entry(name, door, settings, true, true);
    }

    /**
     * A door's paths as the request's path is compared with them ("//" as "/": a base path of "/" before "/health").
     * A door that takes no bodies (probes: GETs) refuses one before it takes a place, so that bodies trickled to it
     * never fill it.
     */
    private static Entry entry(String name, Door door, DoorSettings settings, boolean takesBodies,
            boolean jsonOnly) {
        return new Entry(name, door.paths().stream().map(path -> path.replaceAll("/{2,}", "/")).toList(), door,
                new Semaphore(door.maxConcurrent()), door.bodyTimeoutOr(settings.bodyTimeout()).toNanos(),
                takesBodies, jsonOnly);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // decoded as the routes and security match it: "/antom/%6Eotifications" is the notifications door
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        Entry entry = doors.stream().filter(d -> d.covers(path)).findFirst().orElse(null);
        String door = entry == null ? "other" : entry.name();
        long limit = entry == null ? otherMaxBytes : entry.door().maxBytes();
        if (entry != null && !entry.takesBodies() && hasBody(request)) {
            refuse(response, 413, "PAYLOAD_TOO_LARGE", door, door + " takes no request body");
            return;
        }
        if (hasBody(request) && encoded(request)) {
            // counted here as sent: Camel's converter would inflate a gzip body past the limit after it was counted
            refuse(response, 415, "UNSUPPORTED_MEDIA_TYPE", door, door + " takes a body as it is, without a "
                    + "Content-Encoding (gzip, deflate)");
            return;
        }
        if (entry != null && entry.jsonOnly() && hasBody(request) && !jsonReadable(request)) {
            // the caller's Content-Type is not echoed: the message goes into JSON and the log as it is
            refuse(response, 415, "UNSUPPORTED_MEDIA_TYPE", door, door + " takes a JSON body (application/json), "
                    + "not a form, in UTF-8 or another charset this service knows");
            return;
        }
        if (request.getContentLengthLong() > limit) {
            refuse(response, 413, "PAYLOAD_TOO_LARGE", door, "Content-Length " + request.getContentLengthLong()
                    + " is more than the limit of " + limit + " bytes");
            return;
        }
        // taken before the body is read: bodies that trickle in hold their own door's threads, not every thread
        Semaphore permits = entry == null ? otherPermits : entry.permits();
        if (!permits.tryAcquire()) {
            response.setHeader("Retry-After", "1");
            refuse(response, 503, "BUSY", door, door + " is serving " + (entry == null ? OTHER_CONCURRENT
                    : entry.door().maxConcurrent()) + " requests");
            return;
        }
        DoorPlace place = new DoorPlace(permits);
        Runnable release = place.requestHold();
        try {
            byte[] body;
            try {
                body = hasBody(request) ? read(request.getInputStream(), limit,
                        entry == null ? otherBodyTimeoutNanos : entry.bodyTimeoutNanos()) : new byte[0];
            } catch (BodyTooLargeException e) {
                refuse(response, 413, "PAYLOAD_TOO_LARGE", door, "the body is more than the limit of " + limit
                        + " bytes");
                return;
            } catch (BodyTimeoutException e) {
                refuse(response, 408, "BODY_TIMEOUT", door, "the body did not arrive in time");
                return;
            }
            // a route the request hands to the task executor holds the place too (DoorWork)
            place.whileCurrent(() -> chain.doFilter(new BufferedBodyRequest(request, body), response));
        } finally {
            if (request.isAsyncStarted()) {
                // platform-http answers from its own thread: the request holds its place until that answer is written
                request.getAsyncContext().addListener(new Release(release));
            } else {
                release.run();
            }
        }
    }

    /** The servlet container dispatches the async result again: the limits apply once, on the way in. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }

    /** Not a form (which Camel would split into parameters), and in a charset this JVM has, if it names one. */
    private static boolean jsonReadable(HttpServletRequest request) {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
            return false;
        }
        // the header's own parameter: the container's getCharacterEncoding() may not say it was unknown
        Matcher charset = CHARSET.matcher(type);
        try {
            return !charset.find() || Charset.isSupported(charset.group(1));
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]*)");

    /** A body compressed: a Content-Encoding that inflates (a mistaken value such as UTF-8 is left to the door). */
    private static boolean encoded(HttpServletRequest request) {
        java.util.Enumeration<String> codings = request.getHeaders("Content-Encoding");
        while (codings != null && codings.hasMoreElements()) {
            for (String coding : codings.nextElement().split(",")) {
                String name = coding.strip().toLowerCase(Locale.ROOT);
                // Camel inflates a body whose coding merely contains "gzip" (gzip;q=1, x-gzip-foo)
                if (COMPRESSIONS.contains(name) || name.contains("gzip") || name.contains("deflate")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The compressions other than gzip's and deflate's, which {@link #encoded} finds by name inside any coding. */
    private static final java.util.Set<String> COMPRESSIONS = java.util.Set.of("br", "compress", "x-compress", "zstd");

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The body, counted while it is read: one byte past {@code limit} or past the deadline stops it. */
    private byte[] read(InputStream in, long limit, long timeoutNanos) throws IOException {
        long deadline = nanoTime.getAsLong() + timeoutNanos;
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(limit, 8192));
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (body.size() + (long) n > limit) {
                throw new BodyTooLargeException(limit);
            }
            body.write(buffer, 0, n);
            // each read waits at most server.tomcat.connection-timeout; a trickle that keeps every read alive ends here
            if (nanoTime.getAsLong() - deadline > 0) {
                throw new BodyTimeoutException();
            }
        }
        return body.toByteArray();
    }

    private void refuse(HttpServletResponse response, int status, String code, String door, String message)
            throws IOException {
        // anyone may cause these: a line per door and code every 10 s at most
        long leftOut = refusedLog.admit(door + " " + code);
        if (leftOut >= 0) {
            LOG.info("{} door: {} {} ({}){}", door, status, code, message, QuietLog.more(leftOut));
        }
        response.setStatus(status);
        // the rest of the body is not read: the connection cannot carry another request
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        byte[] answer = ("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
        // sent now, before the container drains or drops what the caller is still sending
        response.flushBuffer();
    }

    private record Release(Runnable release) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onError(AsyncEvent event) {
            release.run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
