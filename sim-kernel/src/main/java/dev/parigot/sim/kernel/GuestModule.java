package dev.parigot.sim.kernel;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.NameCustomSection;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A validated ABI v1 module, parsed and compiled once per JVM and shared by every world and node
 * that runs it (the same bytes loaded twice share one compilation). Immutable and thread-safe.
 */
public final class GuestModule {
    private static final Map<String, Code> CODE_CACHE = new ConcurrentHashMap<>();

    private final String name;
    private final Code code;

    private GuestModule(String name, Code code) {
        this.name = name;
        this.code = code;
    }

    /** Loads a module from bytes; {@code name} is how errors and default node names call it. */
    public static GuestModule load(String name, byte[] bytes) {
        return load(name, bytes, Engine.COMPILED);
    }

    public static GuestModule load(String name, byte[] bytes, Engine engine) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a module needs a non-blank name");
        }
        String key = digest(bytes) + "/" + engine;
        Code code = CODE_CACHE.get(key);
        if (code == null) {
            // Validate and compile outside computeIfAbsent: a failure must not poison the cache.
            code = Code.build(name, bytes, engine);
            Code raced = CODE_CACHE.putIfAbsent(key, code);
            if (raced != null) {
                code = raced;
            }
        }
        return new GuestModule(name, code);
    }

    public static GuestModule load(Path file) {
        return load(file, Engine.COMPILED);
    }

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

    /** Loads a module from the classpath, e.g. {@code "/guests/teller.wasm"}. */
    public static GuestModule fromResource(Class<?> anchor, String resource) {
        return fromResource(anchor, resource, Engine.COMPILED);
    }

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

    public String name() {
        return name;
    }

    public Engine engine() {
        return code.engine;
    }

    /** SHA-256 of the module bytes, hex. */
    public String digest() {
        return code.digest;
    }

    WasmModule wasm() {
        return code.wasm;
    }

    Function<Instance, Machine> machineFactory() {
        return code.machineFactory;
    }

    List<FunctionImport> wasiImports() {
        return code.wasiImports;
    }

    boolean importsAbort() {
        return code.importsAbort;
    }

    boolean hasInitialize() {
        return code.hasInitialize;
    }

    MemoryLimits memoryLimits(long memoryBytesMax) {
        int pagesMax = (int) Math.min(MemoryLimits.MAX_PAGES, Math.max(1, memoryBytesMax / 65536));
        int declaredMax = code.memory.maximumPages();
        int max = Math.min(pagesMax, declaredMax);
        int initial = code.memory.initialPages();
        if (initial > max) {
            throw new ModuleException("module '" + name + "' needs " + initial * 64 + " KiB of memory at start, over"
                    + " the node memory limit of " + max * 64 + " KiB; raise SimConfig memoryBytesMax");
        }
        return new MemoryLimits(initial, max);
    }

    /** The most pages Chicory's {@code ByteArrayMemory} holds, whatever the limits say. */
    static final int CHICORY_PAGES_MAX = 32767;

    /**
     * The most linear memory a node running this module can hold under a node memory limit of
     * {@code memoryBytesMax}: the smaller of the module's declared maximum and the limit, in
     * whole 64 KiB pages.
     */
    long memoryBytesMax(long memoryBytesMax) {
        long pages = Math.max(1, memoryBytesMax / 65536);
        pages = Math.min(pages, code.memory.maximumPages());
        pages = Math.min(pages, CHICORY_PAGES_MAX);
        return Math.max(pages, code.memory.initialPages()) * 65536L;
    }

    /** Boot images of this module kept at most: one per distinct way of booting it. */
    static final int IMAGES_MAX = 32;

    /** The image a node booting like {@code node} restores from, or null to boot from scratch. */
    BootImage image(GuestNode node, long memoryBytesMax) {
        for (BootImage image : code.images) {
            if (image.matches(node, memoryBytesMax)) {
                return image;
            }
        }
        return null;
    }

    /** Heap held by every module's boot images in this JVM. */
    private static final java.util.concurrent.atomic.AtomicLong IMAGE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    /** For tests: a budget for boot images to pretend (0: a sixteenth of the heap). */
    static volatile long imageBytesMaxForTest;

    /** The most heap boot images may hold together: a sixteenth of the heap. */
    static long imageBytesMax() {
        long pretend = imageBytesMaxForTest;
        return pretend > 0 ? pretend : HeapGuard.heapMax() / 16;
    }


    /**
     * Keeps an image (or the fact that a way of booting cannot be imaged) for later nodes. An
     * image that would take the JVM's images past {@link #imageBytesMax()} is kept as a way of
     * booting that boots from scratch instead: images save time, never heap.
     */
    void remember(BootImage image) {
        synchronized (code.images) {
            if (code.images.size() >= IMAGES_MAX) {
                return;
            }
            long bytes = image.heldBytes();
            if (bytes > 0 && IMAGE_BYTES.addAndGet(bytes) > imageBytesMax()) {
                IMAGE_BYTES.addAndGet(-bytes);
                image = image.withoutState("the JVM's boot images already hold "
                        + HeapGuard.mebibytes(IMAGE_BYTES.get()) + " of the " + HeapGuard.mebibytes(imageBytesMax())
                        + " they may take (a sixteenth of the heap)");
            }
            code.images.add(image);
        }
    }

    /** Whether this module has a start section, which a restored instance would run a second time. */
    boolean hasStartSection() {
        return code.wasm.startSection().isPresent();
    }

    /** The WASM function name for a function index, from the name section if present. */
    String functionName(int index) {
        NameCustomSection names = code.names;
        String n = names == null ? null : names.nameOfFunction(index);
        return n != null ? n : "func[" + index + "]";
    }

    @Override
    public String toString() {
        return "GuestModule[" + name + ", " + code.digest.substring(0, 12) + "]";
    }

    private static String baseName(String file) {
        return file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What ABI v1 requires a module to export, with types. */
    static final Map<String, FunctionType> REQUIRED_EXPORTS = new LinkedHashMap<>();

    static {
        REQUIRED_EXPORTS.put("parigot_abi_v1", FunctionType.empty());
        REQUIRED_EXPORTS.put("parigot_alloc", FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)));
        REQUIRED_EXPORTS.put("parigot_start", FunctionType.returning(ValType.I32));
        REQUIRED_EXPORTS.put("parigot_ready", FunctionType.returning(ValType.I32));
        REQUIRED_EXPORTS.put("parigot_on_call", FunctionType.of(
                List.of(ValType.I64, ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32),
                List.of()));
        REQUIRED_EXPORTS.put("parigot_on_result", FunctionType.of(
                List.of(ValType.I64, ValType.I32, ValType.I32, ValType.I32), List.of()));
        REQUIRED_EXPORTS.put("parigot_on_timer", FunctionType.accepting(ValType.I64));
    }

    /** The immutable, shareable part: parsed module, compiled code, facts learned by validation. */
    private static final class Code {
        final String digest;
        final Engine engine;
        final WasmModule wasm;
        final Function<Instance, Machine> machineFactory;
        final List<FunctionImport> wasiImports;
        final boolean importsAbort;
        final boolean hasInitialize;
        final MemoryLimits memory;
        final NameCustomSection names;
        /** Boot images, shared by every world: see {@link BootImage}. */
        final List<BootImage> images = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Code(String digest, Engine engine, WasmModule wasm, Function<Instance, Machine> machineFactory,
                List<FunctionImport> wasiImports, boolean importsAbort, boolean hasInitialize, MemoryLimits memory,
                NameCustomSection names) {
            this.digest = digest;
            this.engine = engine;
            this.wasm = wasm;
            this.machineFactory = machineFactory;
            this.wasiImports = wasiImports;
            this.importsAbort = importsAbort;
            this.hasInitialize = hasInitialize;
            this.memory = memory;
            this.names = names;
        }

        static Code build(String name, byte[] bytes, Engine engine) {
            checkMagic(name, bytes);
            WasmModule wasm;
            try {
                wasm = Parser.parse(bytes);
            } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new ModuleException("module '" + name + "' is not a valid WebAssembly module: "
                        + e.getMessage() + "; rebuild it with a WebAssembly compiler (see docs/abi.md)", e);
            }
            List<FunctionImport> wasi = new ArrayList<>();
            boolean abort = false;
            List<FunctionType> importTypes = new ArrayList<>();
            for (int i = 0; i < wasm.importSection().importCount(); i++) {
                Import imp = wasm.importSection().getImport(i);
                if (imp.importType() != ExternalType.FUNCTION) {
                    throw new ModuleException("module '" + name + "' imports " + imp.importType().name().toLowerCase()
                            + " " + imp.module() + "." + imp.name() + "; an ABI v1 guest may import only functions"
                            + " (parigot.*, wasi_snapshot_preview1.*, env.abort) and must define its own memory");
                }
                FunctionImport fn = (FunctionImport) imp;
                FunctionType type = wasm.typeSection().getType(fn.typeIndex());
                importTypes.add(type);
                switch (imp.module()) {
                    case "parigot":
                        AbiV1.checkImport(name, imp.name(), type);
                        break;
                    case "wasi_snapshot_preview1":
                        Wasi.checkImport(name, imp.name(), type);
                        wasi.add(fn);
                        break;
                    case "env":
                        if (!imp.name().equals("abort") || !type.equals(Wasi.ABORT_TYPE)) {
                            throw unknownImport(name, imp);
                        }
                        abort = true;
                        break;
                    default:
                        throw unknownImport(name, imp);
                }
            }
            checkExports(name, wasm, importTypes);
            MemoryLimits memory = wasm.memorySection().get().getMemory(0).limits();
            boolean hasInitialize = findExport(wasm, "_initialize") != null;
            Function<Instance, Machine> factory;
            if (engine == Engine.COMPILED) {
                adviseOnHugeMethods();
                try {
                    factory = MachineFactoryCompiler.compile(wasm);
                } catch (RuntimeException e) {
                    throw new ModuleException("module '" + name + "' could not be compiled: " + e.getMessage()
                            + "; try Engine.INTERPRETED", e);
                }
            } else {
                factory = InterpreterMachine::new;
            }
            return new Code(digest(bytes), engine, wasm, factory, List.copyOf(wasi), abort, hasInitialize, memory,
                    wasm.nameSection());
        }

        private static ModuleException unknownImport(String name, Import imp) {
            return new ModuleException("module '" + name + "' imports " + imp.module() + "." + imp.name()
                    + ", which the kernel does not provide; a guest may import only parigot.* (ABI v1, see"
                    + " docs/abi.md), wasi_snapshot_preview1.* and env.abort");
        }

        private static void checkMagic(String name, byte[] bytes) {
            byte[] magic = {0x00, 0x61, 0x73, 0x6d};
            boolean ok = bytes.length >= 8;
            for (int i = 0; ok && i < 4; i++) {
                ok = bytes[i] == magic[i];
            }
            if (!ok) {
                StringBuilder head = new StringBuilder();
                for (int i = 0; i < Math.min(4, bytes.length); i++) {
                    head.append(String.format("%02x ", bytes[i] & 0xff));
                }
                throw new ModuleException("module '" + name + "' is not a WebAssembly binary: it starts with "
                        + (bytes.length == 0 ? "nothing (the file is empty)" : "bytes " + head.toString().trim())
                        + " instead of 00 61 73 6d (\"\\0asm\"); pass the .wasm file your compiler wrote"
                        + " (e.g. clang-16 --target=wasm32-wasi -mexec-model=reactor)");
            }
        }

        private static void checkExports(String name, WasmModule wasm, List<FunctionType> importTypes) {
            if (findExport(wasm, "parigot_abi_v1") == null) {
                throw new ModuleException("module '" + name + "' does not export parigot_abi_v1, so it is not an"
                        + " ABI v1 service; build it with the guest SDK (guest-sdk/c) or export"
                        + " 'void parigot_abi_v1(void)' yourself (see docs/abi.md)");
            }
            Export memory = findExport(wasm, "memory");
            if (memory == null || memory.exportType() != ExternalType.MEMORY
                    || wasm.memorySection().isEmpty() || wasm.memorySection().get().memoryCount() == 0) {
                throw new ModuleException("module '" + name + "' does not define and export its memory as 'memory';"
                        + " ABI v1 passes every pointer into it");
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, FunctionType> required : REQUIRED_EXPORTS.entrySet()) {
                Export export = findExport(wasm, required.getKey());
                if (export == null || export.exportType() != ExternalType.FUNCTION) {
                    missing.add(required.getKey());
                    continue;
                }
                FunctionType actual = functionType(wasm, importTypes, export.index());
                if (!actual.equals(required.getValue())) {
                    throw new ModuleException("module '" + name + "' exports " + required.getKey() + " with type "
                            + signature(actual) + ", but ABI v1 requires " + signature(required.getValue()));
                }
            }
            if (!missing.isEmpty()) {
                throw new ModuleException("module '" + name + "' lacks the export" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " that ABI v1 requires of every service (see docs/abi.md;"
                        + " the guest SDK defines them all)");
            }
        }

        static Export findExport(WasmModule wasm, String exportName) {
            for (int i = 0; i < wasm.exportSection().exportCount(); i++) {
                Export e = wasm.exportSection().getExport(i);
                if (e.name().equals(exportName)) {
                    return e;
                }
            }
            return null;
        }

        private static FunctionType functionType(WasmModule wasm, List<FunctionType> importTypes, int index) {
            if (index < importTypes.size()) {
                return importTypes.get(index);
            }
            return wasm.typeSection().getType(wasm.functionSection().getFunctionType(index - importTypes.size()));
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean HUGE_METHODS_ADVISED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Once per JVM: a compiled guest function over 8,000 bytes of JVM bytecode (C's printf_core,
     * a big switch) is never JIT-compiled under the JVM's default -XX:+DontCompileHugeMethods,
     * and runs in the bytecode interpreter at a fraction of the speed. Says how to lift it.
     */
    static void adviseOnHugeMethods() {
        if (!HUGE_METHODS_ADVISED.compareAndSet(false, true)) {
            return;
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (vm != null && "true".equals(vm.getVMOption("DontCompileHugeMethods").getValue())) {
                org.slf4j.LoggerFactory.getLogger("parigot.sim.performance").info("this JVM runs large guest"
                        + " functions (over 8,000 bytes of JVM bytecode, such as C's printf) in its interpreter;"
                        + " add -XX:-DontCompileHugeMethods to the test JVM (Surefire's argLine) to compile them:"
                        + " seeds often run up to twice as fast (docs/benchmarks.md)");
            }
        } catch (RuntimeException | LinkageError e) {
            // Not a HotSpot JVM, or no management: nothing to advise.
        }
    }

    static String signature(FunctionType type) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < type.params().size(); i++) {
            s.append(i > 0 ? ", " : "").append(type.params().get(i).name().toLowerCase());
        }
        s.append(") -> (");
        for (int i = 0; i < type.returns().size(); i++) {
            s.append(i > 0 ? ", " : "").append(type.returns().get(i).name().toLowerCase());
        }
        return s.append(')').toString();
    }
}
