package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's durable state when it has a state dir: an append-only journal, {@code journal.jsonl}, one JSON
 * record per change. Each record is written with one unbuffered write before the change is answered, so it is in
 * the OS's hands and survives a SIGKILL (not a power cut: there is no fsync per record). A plain
 * {@link FileOutputStream}, not a FileChannel: an interrupted thread writing to a channel would close it for all.
 *
 * <p>Records: {@code ids} (a block of ids reserved before any of them is issued), {@code clock} (the clock
 * offset), {@code payment} (a payment's whole state; the last one per paymentRequestId wins), {@code notification}
 * (a notification queued for the merchant) and {@code notificationSent} (its send count and next due time, or
 * that it is done). On open the journal is replayed into a {@link Snapshot} and rewritten compacted, which also
 * drops a line torn by a kill mid-write.
 *
 * <p>{@link #inMemory()} is the journal of a sandbox without a state dir: it records nothing.
 */
final class SandboxJournal implements AutoCloseable {

    static final String FILE_NAME = "journal.jsonl";

    /** What the journal held at open: the latest state of everything still relevant. */
    record Snapshot(long idsReserved, Duration clockOffset, Collection<JsonNode> payments,
                    Collection<ObjectNode> pendingNotifications) {

        static final Snapshot EMPTY = new Snapshot(0, Duration.ZERO, List.of(), List.of());
    }

    private final Path file;
    private final FileLock lock;
    private final Snapshot snapshot;
    private FileOutputStream out;
    /** The highest id reservation written; a reset's rewrite must keep it, or ids could be reused. */
    private long idsReserved;

    private SandboxJournal(Path file, FileLock lock, Snapshot snapshot) {
        this.file = file;
        this.lock = lock;
        this.snapshot = snapshot;
        this.idsReserved = snapshot.idsReserved();
    }

    static SandboxJournal inMemory() {
        return new SandboxJournal(null, null, Snapshot.EMPTY);
    }

    /** Replays {@code dir/journal.jsonl} (if any), rewrites it compacted and opens it for appending. */
    static SandboxJournal open(Path dir) {
        FileLock lock = null;
        try {
            Files.createDirectories(dir);
            lock = lockExclusively(dir);
            Path file = dir.resolve(FILE_NAME);
            Snapshot snapshot = Files.exists(file) ? replay(file) : Snapshot.EMPTY;
            SandboxJournal journal = new SandboxJournal(file, lock, snapshot);
            synchronized (journal) {
                journal.rewrite(snapshot);
            }
            return journal;
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                try {
                    lock.channel().close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e instanceof IOException io ? new UncheckedIOException("cannot open the sandbox state in " + dir, io)
                    : (RuntimeException) e;
        }
    }

    /**
     * One sandbox per state dir: a second one (say, the local run started twice) would rewrite the journal under
     * the first one's feet. The OS drops the lock when the process dies, so a kill leaves nothing to clean up.
     */
    private static FileLock lockExclusively(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another sandbox in this JVM
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the sandbox state dir " + dir.toAbsolutePath()
                    + " is in use by another running sandbox");
        }
        return lock;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    boolean isDurable() {
        return file != null;
    }

    // ---- records ------------------------------------------------------------------------------------------

    void idsReserved(long upTo) {
        ObjectNode record = record("ids").put("reserved", upTo);
        synchronized (this) {
            idsReserved = Math.max(idsReserved, upTo);
            append(record);
        }
    }

    void clockOffset(Duration offset) {
        append(record("clock").put("offsetMillis", offset.toMillis()));
    }

    void payment(SandboxPayment payment) {
        if (file != null) { // spares the serialisation when nothing is kept
            append(paymentRecord(payment.toRecord()));
        }
    }

    void notification(String id, String url, String paymentRequestId, String notifyType, String body, long dueAt) {
        append(record("notification").put("id", id).put("url", url).put("paymentRequestId", paymentRequestId)
                .put("notifyType", notifyType).put("body", body).put("sent", 0).put("dueAt", dueAt));
    }

    /** After a send: how many sends so far and when the next one is due (epoch ms), or that none will follow. */
    void notificationSent(String id, int sent, long dueAt, boolean done) {
        append(record("notificationSent").put("id", id).put("sent", sent).put("dueAt", dueAt).put("done", done));
    }

    /** Forgets payments, notifications and the clock offset; keeps the id reservation. */
    synchronized void reset() {
        if (file != null) {
            rewrite(new Snapshot(idsReserved, Duration.ZERO, List.of(), List.of()));
        }
    }

    // ---- replay -------------------------------------------------------------------------------------------

    private static Snapshot replay(Path file) throws IOException {
        long ids = 0;
        Duration clockOffset = Duration.ZERO;
        Map<String, JsonNode> payments = new LinkedHashMap<>();
        Map<String, ObjectNode> notifications = new LinkedHashMap<>();
        // Decoded leniently: a kill mid-write may have cut a multi-byte character in two.
        List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode record = Json.parseOrNull(line);
            if (record == null || !record.hasNonNull("type")) {
                // A kill mid-write leaves the last line torn; the change it recorded was never answered.
                System.err.println("sandbox: skipping unreadable line " + (i + 1) + " of " + file
                        + (i == lines.size() - 1 ? " (torn by a kill mid-write)" : "") + ": " + abbreviate(line));
                continue;
            }
            switch (record.get("type").asText()) {
                case "ids" -> ids = Math.max(ids, record.path("reserved").asLong());
                case "clock" -> clockOffset = Duration.ofMillis(record.path("offsetMillis").asLong());
                case "payment" -> payments.put(record.path("payment").path("paymentRequestId").asText(),
                        record.get("payment"));
                case "notification" -> notifications.put(record.path("id").asText(), (ObjectNode) record);
                case "notificationSent" -> {
                    ObjectNode pending = notifications.get(record.path("id").asText());
                    if (record.path("done").asBoolean()) {
                        notifications.remove(record.path("id").asText());
                    } else if (pending != null) {
                        pending.put("sent", record.path("sent").asInt()).put("dueAt", record.path("dueAt").asLong());
                    }
                }
                default -> System.err.println("sandbox: skipping unknown record type on line " + (i + 1) + " of "
                        + file + ": " + abbreviate(line));
            }
        }
        return new Snapshot(ids, clockOffset, List.copyOf(payments.values()), List.copyOf(notifications.values()));
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    // ---- file ---------------------------------------------------------------------------------------------

    private static ObjectNode record(String type) {
        return Json.object().put("type", type);
    }

    private static ObjectNode paymentRecord(JsonNode payment) {
        ObjectNode record = record("payment");
        record.set("payment", payment);
        return record;
    }

    /**
     * Replaces the file with {@code snapshot}'s records: written to a temporary file, forced to disk, then renamed
     * over the journal, so a kill at any point leaves either the old journal or the new one.
     */
    private void rewrite(Snapshot content) {
        List<JsonNode> records = new ArrayList<>();
        if (content.idsReserved() > 0) {
            records.add(record("ids").put("reserved", content.idsReserved()));
        }
        if (!content.clockOffset().isZero()) {
            records.add(record("clock").put("offsetMillis", content.clockOffset().toMillis()));
        }
        content.payments().forEach(payment -> records.add(paymentRecord(payment)));
        records.addAll(content.pendingNotifications());
        StringBuilder text = new StringBuilder();
        records.forEach(r -> text.append(Json.write(r)).append('\n'));
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            closeFile();
            try (FileOutputStream compacted = new FileOutputStream(temporary.toFile())) {
                compacted.write(text.toString().getBytes(StandardCharsets.UTF_8));
                compacted.getFD().sync();
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the sandbox journal " + file, e);
        }
    }

    private synchronized void append(ObjectNode record) {
        if (file == null || out == null) {
            return; // in memory, or stopped: a write after stop is lost like one after a kill
        }
        try {
            // One array, one write(2) in practice: a record is wholly in the file or, killed mid-write, torn.
            out.write((Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The change must not be answered as if it were kept: the caller's request fails instead.
            throw new UncheckedIOException("cannot append to the sandbox journal " + file, e);
        }
    }

    private void closeFile() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        try {
            closeFile();
            if (lock != null && lock.channel().isOpen()) {
                lock.channel().close(); // releases the lock
            }
        } catch (IOException e) {
            System.err.println("sandbox: closing the journal failed: " + e);
        }
    }
}
