package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.DiskStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's disk as one file in a directory (the runner's {@code --data DIR}), so that what a
 * node synced outlives the process. The file of node {@code n} is {@code DIR/<n>.disk}, where
 * every byte of the name's UTF-8 outside {@code [a-z0-9-_.]} is written as {@code %XX}: no name
 * reaches outside the directory, and names differing only in case get different files.
 *
 * <p>A file is an append-only log: the 8 bytes {@code PSDISK1\n}, then one record per write or
 * delete in the order they were synced. A record is its body's length and the body's CRC32C (two
 * big-endian u32), then the body: a kind byte (1 write, 2 delete), the key's length and UTF-8
 * bytes, and for a write the value's length and bytes. A sync appends all its records in one
 * write and forces the file before returning; the sync that creates a file also forces the
 * directory, so the file's name is durable too.
 *
 * <p>Loading replays the records. A record that is cut short or fails its CRC is taken for a write
 * torn by a crash: it and everything after it are dropped, the file is truncated to the end of the
 * last good record (so later records follow good ones), and a warning says how many bytes went.
 * A file that does not start with the header is refused with an {@link IOException} naming it.
 *
 * <p>When a file grows past twice the size its live keys need (and past 1 MiB), the sync that
 * made it so rewrites it with one record per live key (read back from the file: the store keeps
 * only each live key's record size, the values are the kernel's to hold), into
 * {@code <file>.tmp}, forced and then moved over the file atomically. A failed rewrite is logged
 * and leaves the old file, which still holds everything synced.
 *
 * <p>A store holds {@code DIR/.lock} while open: a second store on the same directory, in this
 * process or another, is refused.
 *
 * <p>The {@link DiskStore} calls come on one thread; the methods are synchronized all the same, so
 * that {@link #close} may come from another.
 */
public final class FileDisks implements DiskStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileDisks.class);

    /** What every disk file starts with. */
    static final byte[] MAGIC = "PSDISK1\n".getBytes(StandardCharsets.US_ASCII);
    /** A file is rewritten only once it is larger than this (and than twice its live records). */
    static final long COMPACT_MIN_BYTES = 1 << 20;

    private static final byte WRITE = 1;
    private static final byte DELETE = 2;
    /** Length and CRC before each body. */
    private static final int RECORD_HEAD = 8;
    /** The smallest body: a kind byte and a key length (a delete of the empty key). */
    private static final int BODY_MIN = 5;
    private static final String SUFFIX = ".disk";

    /** The lock file that keeps a second store (another unit, another process) out of the directory. */
    static final String LOCK_FILE = ".lock";

    private final Path dir;
    /** Held on {@link #LOCK_FILE} from {@link #open} to {@link #close}. */
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, NodeDisk> nodes = new HashMap<>();
    private boolean closed;

    /** One node's file as this store knows it: where good records end, and the live keys' record sizes. */
    private static final class NodeDisk {
        final Path file;
        /** Where the next record goes: the file's size, without any torn tail. */
        long size;
        /** Each live key and what its one record takes. */
        final Map<String, Long> live = new HashMap<>();
        /** What one record per live key takes: the sum of {@link #live}. */
        long liveBytes;
        /** Open for appending after the first sync; null before and after a rewrite. */
        FileChannel channel;

        NodeDisk(Path file) {
            this.file = file;
        }

        void closeChannel() throws IOException {
            FileChannel c = channel;
            channel = null;
            if (c != null) {
                c.close();
            }
        }
    }

    private FileDisks(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * A store keeping its disks in {@code dir}, which is created (with its parents) if missing.
     *
     * @param dir the directory
     * @return the store
     * @throws IOException if {@code dir} is not a directory, cannot be created, is not writable,
     *     or is in use by another store (its {@code .lock} is held, in this process or another);
     *     the message names it
     */
    public static FileDisks open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d)) {
            throw new IOException(d + " is not a directory; pass another --data directory");
        }
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new IOException("cannot create the data directory " + d + ": " + e, e);
        }
        if (!Files.isWritable(d)) {
            throw new IOException("the data directory " + d + " is not writable");
        }
        Path lockFile = d.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            channel.close();
            throw new IOException("the data directory " + d + " is in use by another unit (" + lockFile
                    + " is locked); give each unit its own --data directory");
        }
        return new FileDisks(d, channel, held);
    }

    /**
     * The directory the disks are kept in.
     *
     * @return the absolute directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * The file that holds {@code node}'s disk (which may not exist yet): a direct child of the
     * directory, whatever the name.
     *
     * @param node the node's name
     * @return the file
     */
    public Path fileOf(String node) {
        return dir.resolve(escape(node) + SUFFIX);
    }

    /**
     * Reads {@code node}'s file, if it has one, and replays its records. A torn tail is dropped
     * and cut off the file, with a warning in the log.
     *
     * @param node the node's name
     * @return a new map of its keys and values, in the order the keys were first written
     * @throws IOException if the file cannot be read or truncated, does not start with the disk
     *     header, or holds a record that is whole but not one this store writes; the message
     *     names the file
     */
    @Override
    public synchronized Map<String, byte[]> load(String node) throws IOException {
        checkOpen();
        NodeDisk old = nodes.remove(node);
        if (old != null) {
            old.closeChannel();
        }
        NodeDisk disk = new NodeDisk(fileOf(node));
        LinkedHashMap<String, byte[]> values = replay(disk);
        nodes.put(node, disk);
        return values;
    }

    /**
     * Appends {@code changes} to {@code node}'s file in one write and forces it to the device
     * before returning (a node that was not loaded is replayed first). If the write or the force
     * fails, the file is cut back to where it was, so a failed sync leaves nothing behind; if even
     * that fails, the file is replayed again on the next call.
     *
     * @param node the node's name
     * @param changes its writes and deletes since its last sync, in order
     * @throws IOException if they could not be made durable; the message names the file
     */
    @Override
    public synchronized void sync(String node, List<Change> changes) throws IOException {
        checkOpen();
        if (changes.isEmpty()) {
            return;
        }
        NodeDisk disk = nodes.get(node);
        if (disk == null) {
            disk = new NodeDisk(fileOf(node));
            replay(disk);
            nodes.put(node, disk);
        }
        boolean newFile = disk.size == 0;
        ByteBuffer batch = encodeBatch(disk.file, newFile, changes);
        long before = disk.size;
        try {
            if (disk.channel == null) {
                disk.channel = FileChannel.open(disk.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            while (batch.hasRemaining()) {
                disk.channel.write(batch);
            }
            disk.channel.force(true);
        } catch (IOException e) {
            IOException failure = new IOException("cannot sync " + disk.file + ": " + e, e);
            undo(node, disk, before, failure);
            throw failure;
        }
        if (newFile) {
            forceDirectory();
        }
        disk.size = before + batch.limit();
        for (Change c : changes) {
            track(disk, c.key(), c.value());
        }
        if (disk.size > Math.max(COMPACT_MIN_BYTES, 2 * (MAGIC.length + disk.liveBytes))) {
            compact(disk);
        }
    }

    /**
     * Closes the files held open for appending. Later calls to {@link #load} and {@link #sync}
     * fail; closing twice does nothing.
     *
     * @throws IOException if a file could not be closed (every other one is closed still)
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (NodeDisk disk : nodes.values()) {
            try {
                disk.closeChannel();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new IOException("cannot close " + disk.file + ": " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        nodes.clear();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = new IOException("cannot release " + dir.resolve(LOCK_FILE) + ": " + e, e);
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the disks in " + dir + " are closed");
        }
    }

    /** After a failed append: cuts the file back to {@code before}, or forgets the node's state. */
    private void undo(String node, NodeDisk disk, long before, IOException failure) {
        try {
            if (disk.channel == null) {
                throw new IOException("no open channel");
            }
            disk.channel.truncate(before);
            disk.channel.force(true);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            nodes.remove(node);
            try {
                disk.closeChannel();
            } catch (IOException c) {
                failure.addSuppressed(c);
            }
        }
    }

    /** The records of {@code changes}, after the header if the file is new, in one buffer. */
    private static ByteBuffer encodeBatch(Path file, boolean withHeader, List<Change> changes) throws IOException {
        List<byte[]> keys = new ArrayList<>(changes.size());
        long total = withHeader ? MAGIC.length : 0;
        for (Change c : changes) {
            Objects.requireNonNull(c, "change");
            byte[] key = Objects.requireNonNull(c.key(), "key").getBytes(StandardCharsets.UTF_8);
            keys.add(key);
            total += recordSize(key.length, c.value());
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException("cannot sync " + file + ": " + total + " bytes in one sync is more than a write can take");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        if (withHeader) {
            out.put(MAGIC);
        }
        CRC32C crc = new CRC32C();
        for (int i = 0; i < changes.size(); i++) {
            putRecord(out, keys.get(i), changes.get(i).value(), crc);
        }
        out.flip();
        return out;
    }

    /** What one record of a key of {@code keyLength} UTF-8 bytes and {@code value} (null: delete) takes. */
    private static long recordSize(int keyLength, byte[] value) {
        return RECORD_HEAD + 1 + 4 + keyLength + (value == null ? 0 : 4 + (long) value.length);
    }

    private static void putRecord(ByteBuffer out, byte[] key, byte[] value, CRC32C crc) {
        int start = out.position();
        out.position(start + RECORD_HEAD);
        out.put(value == null ? DELETE : WRITE);
        out.putInt(key.length);
        out.put(key);
        if (value != null) {
            out.putInt(value.length);
            out.put(value);
        }
        int bodyLength = out.position() - start - RECORD_HEAD;
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + start + RECORD_HEAD, bodyLength);
        out.putInt(start, bodyLength);
        out.putInt(start + 4, (int) crc.getValue());
    }

    /** Notes a write (value non-null) or delete of one key in the live record sizes. */
    private static void track(NodeDisk disk, String key, byte[] value) {
        long size = value == null ? 0 : recordSize(key.getBytes(StandardCharsets.UTF_8).length, value);
        Long old = value == null ? disk.live.remove(key) : disk.live.put(key, size);
        disk.liveBytes += size - (old == null ? 0 : old);
    }

    /**
     * Reads {@code disk}'s file (none: an empty disk) into its live record sizes, cuts off a torn
     * tail and sets where the next record goes.
     *
     * @return the live keys and values, in the order the keys were first written
     */
    private static LinkedHashMap<String, byte[]> replay(NodeDisk disk) throws IOException {
        Path file = disk.file;
        LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        long fileSize = Files.size(file);
        long good = read(file, fileSize, values);
        values.forEach((key, value) -> track(disk, key, value));
        if (good < fileSize) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(good);
                c.force(true);
            } catch (IOException e) {
                throw new IOException("cannot cut the torn tail off " + file + ": " + e, e);
            }
            LOG.warn("{}: dropped {} bytes after offset {}, a write torn by a crash (cut short or failing its CRC)",
                    file, fileSize - good, good);
        }
        disk.size = good;
        return values;
    }

    /** Replays {@code file}'s records into {@code values}; returns where the last good record ends. */
    private static long read(Path file, long fileSize, Map<String, byte[]> values) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readRecords(file, in, fileSize, values);
        } catch (NotADisk e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * Replays the records of {@code in} into {@code values}.
     *
     * @return where the last good record ends (0 if even the header is torn)
     */
    private static long readRecords(Path file, InputStream in, long fileSize, Map<String, byte[]> values)
            throws IOException {
        byte[] header = in.readNBytes(MAGIC.length);
        if (header.length < MAGIC.length) {
            if (Arrays.equals(header, 0, header.length, MAGIC, 0, header.length)) {
                return 0;
            }
            throw badHeader(file);
        }
        if (!Arrays.equals(header, MAGIC)) {
            throw badHeader(file);
        }
        long position = MAGIC.length;
        byte[] head = new byte[RECORD_HEAD];
        CRC32C crc = new CRC32C();
        while (true) {
            int n = in.readNBytes(head, 0, RECORD_HEAD);
            if (n < RECORD_HEAD) {
                return position;
            }
            ByteBuffer h = ByteBuffer.wrap(head);
            long length = Integer.toUnsignedLong(h.getInt());
            int expected = h.getInt();
            if (length < BODY_MIN || length > fileSize - position - RECORD_HEAD) {
                return position;
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                return position;
            }
            crc.reset();
            crc.update(body);
            if ((int) crc.getValue() != expected) {
                return position;
            }
            applyBody(file, position, body, values);
            position += RECORD_HEAD + length;
        }
    }

    /** Applies one whole record whose CRC matched; one this store does not write fails the load. */
    private static void applyBody(Path file, long position, byte[] body, Map<String, byte[]> values)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte kind = b.get();
        int keyLength = b.getInt();
        if ((kind != WRITE && kind != DELETE) || keyLength < 0 || keyLength > b.remaining()) {
            throw malformed(file, position);
        }
        String key = new String(body, b.position(), keyLength, StandardCharsets.UTF_8);
        b.position(b.position() + keyLength);
        if (kind == DELETE) {
            if (b.hasRemaining()) {
                throw malformed(file, position);
            }
            values.remove(key);
            return;
        }
        if (b.remaining() < 4) {
            throw malformed(file, position);
        }
        int valueLength = b.getInt();
        if (valueLength != b.remaining()) {
            throw malformed(file, position);
        }
        values.put(key, Arrays.copyOfRange(body, b.position(), body.length));
    }

    /** A file that this store did not write, or not in a form it reads. */
    private static final class NotADisk extends IOException {
        NotADisk(String message) {
            super(message);
        }
    }

    private static IOException badHeader(Path file) {
        return new NotADisk(file + " is not a parigot disk file (bad header); move it away or pass another --data directory");
    }

    private static IOException malformed(Path file, long position) {
        return new NotADisk(file + " holds a record at offset " + position
                + " that this version does not read (its CRC matches, its contents do not); move it away or pass another --data directory");
    }

    /** Rewrites the file with the live keys alone, read back from it; a failure is logged and leaves the old file. */
    private void compact(NodeDisk disk) {
        Path tmp = disk.file.resolveSibling(disk.file.getFileName() + ".tmp");
        long size = MAGIC.length;
        try {
            LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
            read(disk.file, disk.size, values);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 1 << 16);
                out.write(MAGIC);
                CRC32C crc = new CRC32C();
                for (Map.Entry<String, byte[]> e : values.entrySet()) {
                    byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
                    int recordSize = (int) recordSize(key.length, e.getValue());
                    ByteBuffer record = ByteBuffer.allocate(recordSize);
                    putRecord(record, key, e.getValue(), crc);
                    out.write(record.array());
                    size += recordSize;
                }
                out.flush();
                c.force(true);
            }
            disk.closeChannel();
            Files.move(tmp, disk.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: could not rewrite it without its dead records (it stays as it is): {}", disk.file, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                LOG.warn("{}: could not delete {}", disk.file, tmp, d);
            }
            return;
        }
        forceDirectory();
        disk.size = size;
    }

    /** Makes the directory's entries durable; platforms that cannot force a directory are left be. */
    private void forceDirectory() {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force the directory {}: {}", dir, e.toString());
        }
    }

    /** The node's name as a file name: UTF-8 bytes outside {@code [a-z0-9-_.]} as {@code %XX}. */
    static String escape(String node) {
        Objects.requireNonNull(node, "node");
        StringBuilder s = new StringBuilder(node.length() + 8);
        for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
                s.append(c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return s.toString();
    }
}
