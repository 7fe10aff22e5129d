package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM classes Chicory's compiler makes of a module, kept on disk so that the next JVM (the
 * next {@code mvn test}) loads them instead of compiling the module again: compiling takes a few
 * hundred milliseconds per module, loading a tenth of that.
 *
 * <p>Files live under {@code <directory>/<compiler>/}, where {@code <compiler>} is a hash of
 * Chicory's compiler classes, so a different Chicory version never reads another's output; each
 * file is named by the module's SHA-256 and starts with the SHA-256 of its contents, so a file
 * cut short or damaged is ignored (and replaced), never loaded. Writes go to a temporary file
 * moved into place, so JVMs that share the directory (parallel builds) never see half a file.
 * Nothing here changes what a module does: the classes are the compiler's own output.
 */
public final class CompiledCodeCache implements Cache {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledCodeCache.class);
    private static final int HASH = 32;
    /** Bumped when this file format changes. */
    private static final String FORMAT = "1";
    private static volatile CompiledCodeCache current;
    private static final String COMPILER = compilerFingerprint();

    private final Path root;
    private final Path directory;
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();

    private CompiledCodeCache(Path root) {
        this.root = root;
        this.directory = root.resolve(COMPILER);
    }

    /** From now on, modules compiled in this JVM use {@code directory} (null: no cache). */
    public static synchronized void use(Path directory) {
        if (directory == null) {
            current = null;
            return;
        }
        if (COMPILER == null) {
            // Chicory's classes cannot be read as resources here: no fingerprint, so no cache (a
            // file another Chicory wrote must never be loaded).
            LOG.debug("compiled-code cache off: Chicory's compiler classes are not readable as resources");
            current = null;
            return;
        }
        Path root = directory.toAbsolutePath().normalize();
        CompiledCodeCache now = current;
        if (now == null || !now.root.equals(root)) {
            current = new CompiledCodeCache(root);
        }
    }

    /** The cache in use, or null. */
    public static CompiledCodeCache current() {
        return current;
    }

    /** Where this cache's files are (under the directory it was given). */
    public Path directory() {
        return directory;
    }

    /** Modules loaded from the cache, and stored into it, by this cache so far. */
    public long loaded() {
        return loaded.get();
    }

    public long stored() {
        return stored.get();
    }

    @Override
    public byte[] get(String digest) {
        Path file = file(digest);
        byte[] all;
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.debug("compiled-code cache: cannot read {}: {}", file, e.toString());
            return null;
        }
        if (all.length <= HASH || !Arrays.equals(Arrays.copyOf(all, HASH), sha256(all, HASH))) {
            LOG.debug("compiled-code cache: {} is damaged; compiling the module again", file);
            evict(digest);
            return null;
        }
        loaded.incrementAndGet();
        return Arrays.copyOfRange(all, HASH, all.length);
    }

    @Override
    public void putIfAbsent(String digest, byte[] data) {
        Path file = file(digest);
        try {
            if (Files.isRegularFile(file)) {
                return;
            }
            Files.createDirectories(directory);
            byte[] all = new byte[HASH + data.length];
            System.arraycopy(data, 0, all, HASH, data.length);
            System.arraycopy(sha256(all, HASH), 0, all, 0, HASH);
            Path temporary = Files.createTempFile(directory, "compiling-", ".part");
            try {
                Files.write(temporary, all);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
                stored.incrementAndGet();
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | RuntimeException e) {
            // A cache that cannot be written (read-only, full disk) costs the next JVM a compile, nothing more.
            LOG.debug("compiled-code cache: cannot write {}: {}", file, e.toString());
        }
    }

    /** Forgets {@code digest}'s file: it could not be loaded. */
    void evict(String digest) {
        try {
            Files.deleteIfExists(file(digest));
        } catch (IOException e) {
            LOG.debug("compiled-code cache: cannot delete {}: {}", file(digest), e.toString());
        }
    }

    /**
     * The file of Chicory's key for a module: its digest, "sha-256:" and base64, named by the
     * SHA-256 in hex (base64 holds '/'); any other key by the hex SHA-256 of the key itself.
     */
    private Path file(String digest) {
        String name;
        try {
            name = digest.startsWith("sha-256:")
                    ? HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(digest.substring(8)))
                    : null;
        } catch (IllegalArgumentException e) {
            name = null;
        }
        if (name == null) {
            byte[] key = digest.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            name = "key-" + HexFormat.of().formatHex(sha256(key, 0));
        }
        return directory.resolve(name + ".classes");
    }

    private static byte[] sha256(byte[] bytes, int from) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, from, bytes.length - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A hash of the compiler's own classes (its entry point, code generator and the runtime
     * helpers generated code calls) and of this format: another Chicory build gives another one.
     * Null if one of them cannot be read.
     */
    private static String compilerFingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(FORMAT.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String[] classes = {"com/dylibso/chicory/compiler/MachineFactoryCompiler.class",
                "com/dylibso/chicory/compiler/internal/Compiler.class",
                "com/dylibso/chicory/compiler/internal/Emitters.class",
                "com/dylibso/chicory/compiler/internal/Shaded.class",
                "com/dylibso/chicory/runtime/Instance.class",
                "com/dylibso/chicory/runtime/Memory.class"};
            for (String name : classes) {
                try (InputStream in = MachineFactoryCompiler.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        return null;
                    }
                    md.update(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    md.update(in.readAllBytes());
                }
            }
            return "chicory-" + HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint Chicory's compiler: " + e, e);
        }
    }
}
