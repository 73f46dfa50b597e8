package com.checkoutroutes.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Verifies a password against its hash once, then remembers the match: HTTP Basic sends the password with every
 * request, and a bcrypt check at cost 10 costs 100 ms or more of CPU, which would make every order over HTTP pay
 * it. Only matches are remembered (a wrong password pays the full check each time), as a SHA-256 of the stored hash
 * (salted by bcrypt) and the password, never the password; at most {@code capacity}, least recently used first out.
 * The users come from the config, so a changed hash means a restart and a fresh memory. Hashes are never
 * "upgraded" in place: the operator chose their cost, and there is nowhere to write a new one.
 * <p>
 * Checks not remembered (a new client, a wrong password, an unknown user, whose dummy check Spring Security runs
 * too) run at most {@code concurrentChecks} at once; one more waits up to {@code wait} for its turn (and finds its
 * match remembered if a request with the same credentials checked it meanwhile), then is refused as a mismatch; and
 * at most {@code maxWaiting} wait, any more is refused at once. Otherwise anyone who reaches a door could keep every
 * core busy with bcrypt by sending made-up credentials, or, with the checks bounded, every container thread waiting
 * for one; remembered clients are not held up by it, a new one may be refused while such a flood lasts.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Map<String, Boolean> matched;
    private final Semaphore checks;
    private final Semaphore waiting;
    private final Duration wait;

    RememberingPasswordEncoder(PasswordEncoder delegate, int capacity, int concurrentChecks, int maxWaiting,
            Duration wait) {
        this.delegate = delegate;
        this.checks = new Semaphore(concurrentChecks, true);
        this.waiting = new Semaphore(concurrentChecks + maxWaiting);
        this.wait = wait;
        this.matched = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        String key = digest(encodedPassword, rawPassword);
        if (matched.containsKey(key)) {
            return true;
        }
        if (!waiting.tryAcquire()) {
            return false;
        }
        try {
            return check(key, rawPassword, encodedPassword);
        } finally {
            waiting.release();
        }
    }

    private boolean check(String key, CharSequence rawPassword, String encodedPassword) {
        try {
            if (!checks.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (matched.containsKey(key)) {
                return true;
            }
            // remembered before the next check may start, so that it finds the match
            boolean matches = delegate.matches(rawPassword, encodedPassword);
            if (matches) {
                matched.put(key, Boolean.TRUE);
            }
            return matches;
        } finally {
            checks.release();
        }
    }

    /** Whether one more check not remembered would be refused at once (all that may wait are waiting). */
    boolean full() {
        return waiting.availablePermits() == 0;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return false;
    }

    private static String digest(String encoded, CharSequence raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(encoded.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(raw.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
