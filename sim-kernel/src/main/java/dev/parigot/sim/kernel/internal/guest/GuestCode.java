package dev.parigot.sim.kernel.internal.guest;

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
import dev.parigot.sim.kernel.Engine;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The compiled, immutable part of a {@link dev.parigot.sim.kernel.GuestModule}: the parsed
 * module, its compiled code, what validation learned about it (its WASI imports, whether it has
 * {@code _initialize}, its memory limits), and its boot images. Built once per module bytes and
 * engine, shared by every world and node that runs it; thread-safe.
 */
public final class GuestCode {
    private static volatile Function<GuestModule, GuestCode> codeOf;

    /** The compiled code of {@code module}, which the API keeps package-private. */
    public static GuestCode of(GuestModule module) {
        Function<GuestModule, GuestCode> of = codeOf;
        if (of == null) {
            ApiAccess.get(); // loads the API's side, which provides it
            of = codeOf;
        }
        return of.apply(module);
    }

    /** Called once, by the API package (see {@link ApiAccess}). */
    public static void provide(Function<GuestModule, GuestCode> of) {
        if (codeOf != null) {
            throw new IllegalStateException("GuestCode.of is provided once");
        }
        codeOf = of;
    }

    private final String digest;
    private final Engine engine;
    private final WasmModule wasm;
    private final Function<Instance, Machine> machineFactory;
    /** Every import, in the module's order (all functions: parigot.*, wasi_snapshot_preview1.*, env.abort). */
    private final List<FunctionImport> imports;
    private final List<FunctionImport> wasiImports;
    private final boolean hasInitialize;
    private final MemoryLimits memory;
    private final NameCustomSection names;
    /** Boot images, shared by every world: see {@link BootImage}. */
    private final List<BootImage> images = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether instances of this module can be reset to an image and serve another node: see {@link SpareInstance}. */
    private final boolean hasSpares;
    /** Instances given back by nodes that ended cleanly, per thread: see {@link SpareInstance}. */
    private final ThreadLocal<java.util.ArrayDeque<SpareInstance>> spares =
            ThreadLocal.withInitial(java.util.ArrayDeque::new);

    private GuestCode(String digest, Engine engine, WasmModule wasm, Function<Instance, Machine> machineFactory,
            List<FunctionImport> imports, List<FunctionImport> wasiImports, boolean hasInitialize, MemoryLimits memory,
            NameCustomSection names) {
        this.digest = digest;
        this.engine = engine;
        this.wasm = wasm;
        this.machineFactory = machineFactory;
        this.imports = imports;
        this.wasiImports = wasiImports;
        this.hasInitialize = hasInitialize;
        this.memory = memory;
        this.names = names;
        this.hasSpares = !wasm.tagSection().isPresent()
                && java.util.Arrays.stream(wasm.typeSection().types()).allMatch(java.util.Objects::nonNull);
    }

    public static GuestCode build(String name, byte[] bytes, Engine engine) {
        checkMagic(name, bytes);
        WasmModule wasm;
        try {
            wasm = Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            String legacy = legacyExceptionHandling(String.valueOf(e.getMessage()));
            if (legacy != null) {
                throw new ModuleException("module '" + name + "' uses WebAssembly's legacy exception handling ("
                        + legacy + "), which the kernel cannot run (its runtime reads only the newer try_table form):"
                        + " C built with -mllvm -wasm-enable-sjlj (setjmp/longjmp) or -fwasm-exceptions, Rust with"
                        + " panic=\"unwind\", emit it; rebuild without them: C++ with -fno-exceptions, Rust with"
                        + " panic = \"abort\", and C code that longjmps out of errors (Lua's LUAI_THROW, libpng) with"
                        + " its error path turned into abort() or a status it returns (see docs/abi.md)", e);
            }
            throw new ModuleException("module '" + name + "' is not a valid WebAssembly module: "
                    + e.getMessage() + "; rebuild it with a WebAssembly compiler (see docs/abi.md)", e);
        }
        List<FunctionImport> imports = new ArrayList<>();
        List<FunctionImport> wasi = new ArrayList<>();
        List<FunctionType> importTypes = new ArrayList<>();
        List<FunctionImport> unknown = new ArrayList<>();
        for (int i = 0; i < wasm.importSection().importCount(); i++) {
            Import imp = wasm.importSection().getImport(i);
            if (imp.importType() != ExternalType.FUNCTION) {
                throw new ModuleException("module '" + name + "' imports " + imp.importType().name().toLowerCase()
                        + " " + imp.module() + "." + imp.name() + "; an ABI v1 guest may import only functions"
                        + " (parigot.*, wasi_snapshot_preview1.*, env.abort) and must define its own memory");
            }
            FunctionImport fn = (FunctionImport) imp;
            imports.add(fn);
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
                        unknown.add(fn);
                    }
                    break;
                default:
                    unknown.add(fn);
            }
        }
        if (!unknown.isEmpty()) {
            throw unknownImports(name, wasm, unknown);
        }
        checkExports(name, wasm, importTypes);
        refuseSimd(name, wasm);
        MemoryLimits memory = wasm.memorySection().get().getMemory(0).limits();
        boolean hasInitialize = findExport(wasm, "_initialize") != null;
        Function<Instance, Machine> factory;
        if (engine == Engine.COMPILED) {
            adviseOnHugeMethods();
            try {
                factory = compile(wasm);
            } catch (RuntimeException e) {
                throw new ModuleException("module '" + name + "' could not be compiled: " + e.getMessage()
                        + "; try Engine.INTERPRETED", e);
            }
        } else {
            factory = InterpreterMachine::new;
        }
        return new GuestCode(digest(bytes), engine, wasm, factory, List.copyOf(imports), List.copyOf(wasi),
                hasInitialize, memory, wasm.nameSection());
    }

    /** Imports named in one refusal at most; the rest are counted. */
    private static final int UNKNOWN_IMPORTS_NAMED = 8;

    /**
     * WebAssembly SIMD (the 0xFD-prefixed {@code v128} instructions): this Chicory's compiler
     * refuses them and its interpreter fails on the first one it runs, so a module that has any
     * is refused here, at load, whatever the engine, naming where and how to build without.
     */
    private static void refuseSimd(String name, WasmModule wasm) {
        var bodies = wasm.codeSection().functionBodies();
        int imported = wasm.importSection().count(ExternalType.FUNCTION);
        for (int f = 0; f < bodies.length; f++) {
            for (var instruction : bodies[f].instructions()) {
                if (instruction.opcode().opcode() >> 8 == 0xFD) {
                    throw new ModuleException("module '" + name + "' uses WebAssembly SIMD (" + instruction.opcode()
                            + " in " + functionName(wasm.nameSection(), imported + f) + "), which the kernel cannot run: rebuild it without SIMD (clang:"
                            + " no -msimd128; Rust: no simd128 target feature; AssemblyScript: --disable simd)");
                }
            }
        }
    }

    private static final java.util.regex.Pattern ILLEGAL_OPCODE =
            java.util.regex.Pattern.compile("illegal opcode, op value ([0-9a-fA-F]{1,2})\\b");

    /**
     * The instruction a parse failed at, when it is one of the legacy exception-handling proposal's
     * (try 0x06, catch 0x07, rethrow 0x09, delegate 0x18, catch_all 0x19): a valid module Chicory's
     * parser does not read, unlike a damaged one. Null for any other failure.
     */
    static String legacyExceptionHandling(String parseError) {
        java.util.regex.Matcher m = ILLEGAL_OPCODE.matcher(parseError);
        if (!m.find()) {
            return null;
        }
        switch (Integer.parseInt(m.group(1), 16)) {
            case 0x06: return "the instruction try, opcode 0x06";
            case 0x07: return "the instruction catch, opcode 0x07";
            case 0x09: return "the instruction rethrow, opcode 0x09";
            case 0x18: return "the instruction delegate, opcode 0x18";
            case 0x19: return "the instruction catch_all, opcode 0x19";
            default: return null;
        }
    }

    /** Chicory's compiler, through the compiled-code cache when one is in use. */
    private static Function<Instance, Machine> compile(WasmModule wasm) {
        CompiledCodeCache cache = CompiledCodeCache.current();
        if (cache == null || wasm.digest() == null) {
            return MachineFactoryCompiler.compile(wasm);
        }
        try {
            return MachineFactoryCompiler.builder(wasm).withCache(cache).compile();
        } catch (RuntimeException | LinkageError e) {
            // A cached file that loads wrong (it passed its checksum, so another writer's bug): drop it, compile.
            cache.evict(wasm.digest());
            return MachineFactoryCompiler.compile(wasm);
        }
    }

    /** Every import the kernel does not provide, in one sentence, each with what it most likely is. */
    private static ModuleException unknownImports(String name, WasmModule wasm, List<FunctionImport> unknown) {
        StringBuilder m = new StringBuilder("module '").append(name).append("' imports ");
        if (unknown.size() == 1) {
            FunctionImport imp = unknown.get(0);
            m.append(imp.module()).append('.').append(imp.name()).append(", which the kernel does not provide")
                    .append(hintInBrackets(wasm, imp));
        } else {
            m.append(unknown.size()).append(" functions the kernel does not provide: ");
            for (int i = 0; i < Math.min(unknown.size(), UNKNOWN_IMPORTS_NAMED); i++) {
                FunctionImport imp = unknown.get(i);
                m.append(i == 0 ? "" : ", ").append(imp.module()).append('.').append(imp.name())
                        .append(hintInBrackets(wasm, imp));
            }
            if (unknown.size() > UNKNOWN_IMPORTS_NAMED) {
                m.append(" and ").append(unknown.size() - UNKNOWN_IMPORTS_NAMED).append(" more");
            }
        }
        return new ModuleException(m.append("; a guest may import only parigot.* (ABI v1, see docs/abi.md),"
                + " wasi_snapshot_preview1.* and env.abort").toString());
    }

    /** " (hint)" for {@code imp}, or "" when nothing is known of it. */
    private static String hintInBrackets(WasmModule wasm, FunctionImport imp) {
        String hint = importHint(imp, wasm.typeSection().getType(imp.typeIndex()));
        return hint.isEmpty() ? "" : " (" + hint + ")";
    }

    /** What an import the kernel does not provide most likely comes from, and what to do; "" if unknown. */
    static String importHint(FunctionImport imp, FunctionType type) {
        String module = imp.module();
        String fn = imp.name();
        if (module.equals("env")) {
            switch (fn) {
                case "abort":
                    return "its type is " + signature(type) + "; AssemblyScript's abort, the one env.abort there is, is "
                            + signature(Wasi.ABORT_TYPE);
                case "seed":
                    return "AssemblyScript's Math.random seeds itself through it: use the SDK's random bytes, which"
                            + " the world seeds";
                case "trace":
                    return "AssemblyScript's trace(): log through the SDK instead";
                case "Date.now":
                    return "AssemblyScript's Date.now(): use the SDK's virtual clock";
                default:
                    if (fn.startsWith("emscripten_") || fn.startsWith("__syscall") || fn.startsWith("_emscripten")) {
                        return "an Emscripten build: build the guest with clang for wasm32-wasi (wasi-libc) instead";
                    }
                    return "env.* is where a C, C++ or Rust build puts a function the code calls that no linked"
                            + " library defines: link in what defines it, or remove the call";
            }
        }
        if (module.equals("wasi_unstable")) {
            return "WASI's old name (preview 0): rebuild with a current toolchain, for wasm32-wasi or"
                    + " wasm32-wasip1";
        }
        if (module.startsWith("__wbindgen") || module.equals("wbg")) {
            return "a wasm-bindgen build for JavaScript: build the crate for wasm32-wasip1 without wasm-bindgen";
        }
        if (module.startsWith("wasi:")) {
            return "a WASI preview 2 interface: build a core module for wasm32-wasip1 instead of a component";
        }
        return "";
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

    /** SHA-256 of the module bytes, hex. */
    public String digest() {
        return digest;
    }

    public Engine engine() {
        return engine;
    }

    public WasmModule wasm() {
        return wasm;
    }

    public Function<Instance, Machine> machineFactory() {
        return machineFactory;
    }

    public List<FunctionImport> wasiImports() {
        return wasiImports;
    }

    /** Every import of the module, in its order. */
    public List<FunctionImport> imports() {
        return imports;
    }

    public boolean hasInitialize() {
        return hasInitialize;
    }

    public MemoryLimits memoryLimits(String moduleName, long memoryBytesMax) {
        int pagesMax = (int) Math.min(MemoryLimits.MAX_PAGES, Math.max(1, memoryBytesMax / 65536));
        int declaredMax = memory.maximumPages();
        int max = Math.min(pagesMax, declaredMax);
        int initial = memory.initialPages();
        if (initial > max) {
            throw new ModuleException("module '" + moduleName + "' needs " + initial * 64 + " KiB of memory at start, over"
                    + " the node memory limit of " + max * 64 + " KiB; raise SimConfig memoryBytesMax");
        }
        return new MemoryLimits(initial, max, memory.shared()); // a shared memory stays shared: atomics check it
    }

    /** The most pages Chicory's {@code ByteArrayMemory} holds, whatever the limits say. */
    static final int CHICORY_PAGES_MAX = 32767;

    /**
     * The most linear memory a node running this module can hold under a node memory limit of
     * {@code memoryBytesMax}: the smaller of the module's declared maximum and the limit, in
     * whole 64 KiB pages.
     */
    public long memoryBytesMax(long memoryBytesMax) {
        long pages = Math.max(1, memoryBytesMax / 65536);
        pages = Math.min(pages, memory.maximumPages());
        pages = Math.min(pages, CHICORY_PAGES_MAX);
        return Math.max(pages, memory.initialPages()) * 65536L;
    }

    /** Boot images of this module kept at most: one per distinct way of booting it. */
    static final int IMAGES_MAX = 32;

    /** The image a node booting like {@code node} restores from, or null to boot from scratch. */
    public BootImage image(GuestNode node, long memoryBytesMax) {
        for (BootImage image : images) {
            if (image.matches(node, memoryBytesMax)) {
                return image;
            }
        }
        return null;
    }

    /** Heap held by every module's boot images in this JVM. */
    private static final java.util.concurrent.atomic.AtomicLong IMAGE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    /** For tests: a budget for boot images to pretend (0: a sixteenth of the heap). */
    public static volatile long imageBytesMaxForTest;

    /** The most heap boot images may hold together: a sixteenth of the heap. */
    public static long imageBytesMax() {
        long pretend = imageBytesMaxForTest;
        return pretend > 0 ? pretend : HeapGuard.heapMax() / 16;
    }

    /**
     * Keeps an image (or the fact that a way of booting cannot be imaged) for later nodes. An
     * image that would take the JVM's images past {@link #imageBytesMax()} is kept as a way of
     * booting that boots from scratch instead: images save time, never heap.
     */
    public void remember(BootImage image) {
        synchronized (images) {
            if (images.size() >= IMAGES_MAX) {
                return;
            }
            long bytes = image.heldBytes();
            if (bytes > 0 && IMAGE_BYTES.addAndGet(bytes) > imageBytesMax()) {
                IMAGE_BYTES.addAndGet(-bytes);
                image = image.withoutState("the JVM's boot images already hold "
                        + HeapGuard.mebibytes(IMAGE_BYTES.get()) + " of the " + HeapGuard.mebibytes(imageBytesMax())
                        + " they may take (a sixteenth of the heap)");
            }
            images.add(image);
        }
    }

    /** Spare instances kept at most per module and thread: more than any world here runs nodes of one module. */
    static final int SPARES_MAX = 32;

    /** Whether restored instances of this module can be kept and reused: see {@link SpareInstance}. */
    boolean hasSpares() {
        return hasSpares;
    }

    /** A spare instance of this module for a node limited to {@code memoryBytesMax}, or null. */
    SpareInstance takeSpare(long memoryBytesMax) {
        java.util.ArrayDeque<SpareInstance> kept = spares.get();
        for (java.util.Iterator<SpareInstance> it = kept.iterator(); it.hasNext(); ) {
            SpareInstance spare = it.next();
            if (spare.memoryBytesMax == memoryBytesMax) {
                it.remove();
                return spare;
            }
        }
        return null;
    }

    /** Keeps {@code spare}, which no node uses any more, for the next node of this module on this thread. */
    void keepSpare(SpareInstance spare) {
        java.util.ArrayDeque<SpareInstance> kept = spares.get();
        if (kept.size() < SPARES_MAX) {
            spare.retire();
            kept.addFirst(spare);
        }
    }

    /** Whether this module has a start section, which a restored instance would run a second time. */
    public boolean hasStartSection() {
        return wasm.startSection().isPresent();
    }

    /** The WASM function name for a function index, from the name section if present. */
    public String functionName(int index) {
        return functionName(names, index);
    }

    private static String functionName(NameCustomSection names, int index) {
        String n = names == null ? null : names.nameOfFunction(index);
        return n != null ? SymbolName.readable(n) : "func[" + index + "]";
    }

    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What ABI v1 requires a module to export, with types. */
    public static final Map<String, FunctionType> REQUIRED_EXPORTS = new LinkedHashMap<>();

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
    private static final java.util.concurrent.atomic.AtomicBoolean HUGE_METHODS_ADVISED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Once per JVM: a compiled guest function over 8,000 bytes of JVM bytecode (C's printf_core,
     * a big switch) is never JIT-compiled under the JVM's default -XX:+DontCompileHugeMethods,
     * and runs in the bytecode interpreter at a fraction of the speed. Says how to lift it.
     */
    static void adviseOnHugeMethods() {
        if (HUGE_METHODS_ADVISED.compareAndSet(false, true) && jvmInterpretsLargeFunctions().orElse(false)) {
            org.slf4j.LoggerFactory.getLogger("parigot.sim.performance").info("this JVM runs large guest"
                    + " functions (over 8,000 bytes of JVM bytecode, such as C's printf) in its interpreter;"
                    + " add -XX:-DontCompileHugeMethods to the test JVM (Surefire's argLine) to compile them:"
                    + " seeds often run up to twice as fast (docs/benchmarks.md)");
        }
    }

    /** HotSpot's DontCompileHugeMethods, read once; empty without HotSpot's management bean. */
    public static java.util.Optional<Boolean> jvmInterpretsLargeFunctions() {
        return DONT_COMPILE_HUGE_METHODS;
    }

    private static final java.util.Optional<Boolean> DONT_COMPILE_HUGE_METHODS = readDontCompileHugeMethods();

    private static java.util.Optional<Boolean> readDontCompileHugeMethods() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return vm == null ? java.util.Optional.empty()
                    : java.util.Optional.of("true".equals(vm.getVMOption("DontCompileHugeMethods").getValue()));
        } catch (RuntimeException | LinkageError e) {
            return java.util.Optional.empty(); // not a HotSpot JVM, or no management
        }
    }

    public static String signature(FunctionType type) {
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
