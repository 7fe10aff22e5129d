package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.guest.CompiledCodeCache;
import dev.parigot.sim.kernel.internal.guest.GuestCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A validated ABI v1 module, parsed and compiled once per JVM and shared by every world and node
 * that runs it (the same bytes loaded twice share one compilation). Immutable and thread-safe.
 */
public final class GuestModule {
    private static final Map<String, GuestCode> CODE_CACHE = new ConcurrentHashMap<>();

    private final String name;
    private final GuestCode code;

    GuestModule(String name, GuestCode code) {
        this.name = name;
        this.code = code;
    }

    /** Loads a module from bytes; {@code name} is how errors and default node names call it. */
    public static GuestModule load(String name, byte[] bytes) {
        return load(name, bytes, Engine.COMPILED);
    }

    /**
     * Loads a module from bytes to run with {@code engine}: validated, then compiled (or prepared
     * for the interpreter) once per JVM for these bytes and engine; loading the same bytes again
     * costs a hash.
     *
     * @throws IllegalArgumentException if {@code name} is null or blank
     * @throws ModuleException if the bytes are not a valid ABI v1 module (the message says why)
     */
    public static GuestModule load(String name, byte[] bytes, Engine engine) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a module needs a non-blank name");
        }
        String key = GuestCode.digest(bytes) + "/" + engine;
        GuestCode code = CODE_CACHE.get(key);
        if (code == null) {
            // Validate and compile outside computeIfAbsent: a failure must not poison the cache.
            code = GuestCode.build(name, bytes, engine);
            GuestCode raced = CODE_CACHE.putIfAbsent(key, code);
            if (raced != null) {
                code = raced;
            }
        }
        return new GuestModule(name, code);
    }

    /**
     * Loads a module from a {@code .wasm} file, compiled ({@link Engine#COMPILED}); named after the
     * file without its extension.
     *
     * @throws ModuleException if the file does not exist, is a directory, cannot be read or is not
     *     a valid ABI v1 module
     */
    public static GuestModule load(Path file) {
        return load(file, Engine.COMPILED);
    }

    /**
     * As {@link #load(Path)}, run with {@code engine}.
     *
     * @throws ModuleException if the file does not exist, is a directory, cannot be read or is not
     *     a valid ABI v1 module
     */
    public static GuestModule load(Path file, Engine engine) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            Path parent = absolute.getParent();
            throw new ModuleException("module file " + file + " does not exist (looked for " + absolute
                    + (parent != null && !Files.isDirectory(parent) ? "; the directory " + parent + " does not exist"
                    + " either" : "") + ", from the working directory " + Path.of("").toAbsolutePath()
                    + "); build the guest first, or give the right path");
        }
        if (Files.isDirectory(file)) {
            throw new ModuleException("module file " + absolute + " is a directory; give the path of a .wasm file");
        }
        try {
            return load(baseName(file.getFileName().toString()), Files.readAllBytes(file), engine);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ModuleException("cannot read module file " + absolute + ": permission denied", e);
        } catch (IOException e) {
            throw new ModuleException("cannot read module file " + absolute + ": " + e, e);
        }
    }

    /**
     * Keeps the JVM classes compiled from each module loaded from now on in {@code directory},
     * so that the next JVM loads them instead of compiling the module again (a few hundred
     * milliseconds per module); null turns the cache off, the default. The files are named by
     * the module's SHA-256 under a directory named after the Chicory compiler that made them,
     * each checked by a hash before use, so a stale or damaged file is never loaded. The JUnit
     * engine sets this from {@code parigot.compiled} (default {@code target/parigot-compiled}).
     */
    public static void cacheCompiledCode(Path directory) {
        CompiledCodeCache.use(directory);
    }

    /** The directory {@link #cacheCompiledCode} keeps compiled code in (absolute), or empty when it is off. */
    public static java.util.Optional<Path> compiledCodeCache() {
        CompiledCodeCache cache = CompiledCodeCache.current();
        return cache == null ? java.util.Optional.empty() : java.util.Optional.of(cache.directory().getParent());
    }

    /**
     * Whether this JVM leaves methods over 8,000 bytes of bytecode to its bytecode interpreter
     * (HotSpot's default {@code -XX:+DontCompileHugeMethods}), as it then does with large guest
     * functions (C's printf, an embedded SQLite or Lua); empty on a JVM that does not say.
     */
    public static java.util.Optional<Boolean> jvmInterpretsLargeFunctions() {
        return GuestCode.jvmInterpretsLargeFunctions();
    }

    /** Loads a module from the classpath, e.g. {@code "/guests/teller.wasm"}. */
    public static GuestModule fromResource(Class<?> anchor, String resource) {
        return fromResource(anchor, resource, Engine.COMPILED);
    }

    /**
     * As {@link #fromResource(Class, String)}, run with {@code engine}; cached per anchor class,
     * resource and engine.
     *
     * @throws ModuleException if there is no such resource or it is not a valid ABI v1 module
     */
    public static GuestModule fromResource(Class<?> anchor, String resource, Engine engine) {
        // Cached per anchor class: loading in a test method costs a map lookup, not a hash of the bytes.
        String key = resource + "/" + engine;
        Map<String, GuestModule> cache = BY_RESOURCE.get(anchor);
        GuestModule module = cache.get(key);
        if (module == null) {
            module = readResource(anchor, resource, engine);
            cache.putIfAbsent(key, module);
        }
        return module;
    }

    private static final ClassValue<Map<String, GuestModule>> BY_RESOURCE = new ClassValue<>() {
        @Override
        protected Map<String, GuestModule> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private static GuestModule readResource(Class<?> anchor, String resource, Engine engine) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModuleException("no resource " + resource + " on the classpath of "
                        + anchor.getName() + "; check the path (leading '/' for an absolute one)");
            }
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            return load(baseName(file), in.readAllBytes(), engine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same compiled code under another name (one module, several roles). */
    public GuestModule named(String newName) {
        return new GuestModule(newName, code);
    }

    /** The module's name: what errors call it and the default name of its nodes. */
    public String name() {
        return name;
    }

    /** How the module's code runs: compiled to JVM bytecode or interpreted. */
    public Engine engine() {
        return code.engine();
    }

    /** SHA-256 of the module bytes, hex. */
    public String digest() {
        return code.digest();
    }

    /** The compiled code, for the world's nodes (through {@link KernelAccess}). */
    GuestCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "GuestModule[" + name + ", " + code.digest().substring(0, 12) + "]";
    }

    private static String baseName(String file) {
        return file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
    }
}
