package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.ProcExit;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.SimStop;
import dev.parigot.sim.kernel.internal.node.World;
import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import dev.parigot.sim.scheduler.internal.Prng;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A node that runs one instance of a WASM module speaking ABI v1. */
public final class GuestNode extends Node {

    /** What the guest is running now; decides which imports it may call. */
    public enum Phase { IDLE, INITIALIZE, START, ALLOC, READY, HANDLER }

    public final GuestModule module;
    /** The module's compiled code and boot images. */
    public final GuestCode code;
    final Map<String, String> environment;
    final List<String> arguments;
    public Prng random;
    public Phase phase = Phase.IDLE;
    // What the node runs now, for error messages; kept as parts and only formatted on failure.
    private String activityExport = "";
    private Route activityRoute;
    private long activityId;
    private Instance instance;
    private PagedMemory memory;
    /** The instance as a spare that can serve a later node, when it is one (restored from an image). */
    private SpareInstance spare;
    /** An export of this instance ended by a throw (a trap, an exit, a failure): it is never reused. */
    private boolean tainted;
    /** While a boot runs that may become a {@link BootImage}: what it read and logged. */
    private BootImage.Capture capture;
    private ExportFunction alloc;
    private ExportFunction onCall;
    private ExportFunction onResult;
    private ExportFunction onTimer;
    /** stdout's and stderr's bytes since their last newline; made at a node's first write to either. */
    private StdBuffer stdout;
    private StdBuffer stderr;

    public GuestNode(World world, int index, String name, GuestModule module, Map<String, String> environment,
            List<String> arguments, long randomSeed) {
        super(world, index, name);
        this.module = module;
        this.code = GuestCode.of(module);
        this.environment = environment;
        this.arguments = arguments;
        this.random = new Prng(randomSeed);
    }

    @Override
    public String kindLabel() {
        return "node";
    }

    @Override
    public String moduleName() {
        return module.name();
    }

    @Override
    public String moduleId() {
        return module.digest();
    }

    @Override
    public void worldClosed(boolean cleanly) {
        endInstance(cleanly);
    }

    /** The instance and everything in its memory are gone (a world out of heap). */
    public void discardInstance() {
        endInstance(false);
    }

    /**
     * The instance and everything in its memory are gone for this node (a crash, its world
     * closed); with {@code reuse}, an instance that ended cleanly between steps goes to its
     * module's spares on this thread, reset before another node uses it (see {@link SpareInstance}).
     */
    public void endInstance(boolean reuse) {
        if (reuse && spare != null && !tainted && phase == Phase.IDLE && !insideGuest) {
            code.keepSpare(spare);
        }
        spare = null;
        tainted = false;
        instance = null;
        memory = null;
        alloc = null;
        onCall = null;
        onResult = null;
        onTimer = null;
        stdout = null;
        stderr = null;
    }

    public Memory memory() {
        return memory;
    }

    /**
     * Boots the node: restores the module's boot image when there is one for a node like this,
     * else instantiates the module and runs {@code _initialize} and {@code parigot_start},
     * capturing an image for the nodes that come after (see {@link BootImage}).
     */
    @Override
    public void start() {
        long memoryMax = world.config().memoryBytesMax();
        BootImage image = null;
        if (world.config().snapshots() && !code.hasStartSection()) {
            image = code.image(this, memoryMax);
            if (image == null) {
                capture = new BootImage.Capture(memoryMax);
            } else if (image.freshBecause != null) {
                image = null;
            }
        }
        try {
            if (image != null) {
                restore(image);
            } else {
                boot();
            }
        } finally {
            capture = null;
        }
    }

    private void boot() {
        bootsFromScratch++;
        instantiate(null);
        if (code.hasInitialize()) {
            invoke(Phase.INITIALIZE, "_initialize", instance.export("_initialize"));
        }
        long[] status = invoke(Phase.START, "parigot_start", instance.export("parigot_start"));
        if (status[0] != 0) {
            throw new GuestFault(FailureKind.BOOT, "node '" + name + "' refused to start: parigot_start returned "
                    + status[0]);
        }
        if (capture != null) {
            flushStd(); // a partial last line belongs to the boot, as it would after the handler
            code.remember(capture.image(instance, memory, exports, requires));
        }
    }

    private void restore(BootImage image) {
        bootsRestored++;
        instantiate(image);
        image.restoreTables(instance);
        exports.addAll(image.exports);
        requires.addAll(image.requires);
        for (BootImage.Line line : image.lines) {
            world.log(this, line.level, line.text);
        }
    }

    /**
     * An instance of the module in the state of {@code image}: a spare one of this thread reset to
     * it when there is one, else a new one built so that it can be a spare later.
     */
    private void instantiateSpare(BootImage image) {
        long memoryBytesMax = world.config().memoryBytesMax();
        SpareInstance taken = code.takeSpare(memoryBytesMax);
        if (taken != null && taken.fits(image)) {
            bootsReusingInstances++;
            taken.restore(this, image, code);
            adopt(taken);
            return;
        }
        HostSlot slot = new HostSlot(this);
        build(image, ImportValues.builder().addFunction(hostFunctions(slot)).build());
        adopt(new SpareInstance(instance, slot, memoryBytesMax));
    }

    private void adopt(SpareInstance taken) {
        spare = taken;
        instance = taken.instance;
        memory = taken.memory;
        alloc = taken.alloc;
        onCall = taken.onCall;
        onResult = taken.onResult;
        onTimer = taken.onTimer;
    }

    /**
     * This node's host functions for the module's imports, in its order: Chicory matches each
     * import by a linear search from the start of the list, so import i is found at once, at place i.
     */
    private HostFunction[] hostFunctions(HostSlot slot) {
        List<FunctionImport> imported = code.imports();
        HostFunction[] functions = new HostFunction[imported.size()];
        for (int i = 0; i < functions.length; i++) {
            FunctionImport imp = imported.get(i);
            switch (imp.module()) {
                case "parigot":
                    functions[i] = AbiV1.hostFunction(slot, imp.name());
                    break;
                case "wasi_snapshot_preview1":
                    functions[i] = Wasi.hostFunction(slot, code, imp);
                    break;
                default: // env.abort, the only other import a module may have
                    functions[i] = Wasi.abortFunction(slot);
            }
        }
        return functions;
    }

    /** A new instance of the module, from scratch or from {@code image}. */
    private void instantiate(BootImage image) {
        if (image != null && code.hasSpares()) {
            instantiateSpare(image);
            return;
        }
        build(image, ImportValues.builder().addFunction(hostFunctions(new HostSlot(this))).build());
        alloc = instance.export("parigot_alloc");
        onCall = instance.export("parigot_on_call");
        onResult = instance.export("parigot_on_result");
        onTimer = instance.export("parigot_on_timer");
    }

    /** Builds a new Chicory instance of the module, from scratch or from {@code image}, with {@code imports}. */
    private void build(BootImage image, ImportValues imports) {
        // Instantiation runs the module's start section, if any: under the watchdog like any guest code.
        world.enterGuest();
        try {
            Instance.Builder builder = Instance.builder(code.wasm())
                    .withImportValues(imports)
                    .withMachineFactory(code.machineFactory())
                    .withMemoryLimits(code.memoryLimits(module.name(), world.config().memoryBytesMax()))
                    .withTableFactory(GuestNode::ownTable)
                    .withStart(false);
            if (image == null) {
                builder.withMemoryFactory(limits -> new PagedMemory(this, limits));
            } else {
                builder.withMemoryFactory(limits -> new PagedMemory(this, limits, image))
                        .withGlobalFactory(image.globals());
            }
            instance = builder.build();
        } catch (ModuleException e) {
            throw new GuestFault(FailureKind.BOOT, "node '" + name + "' cannot start: " + e.getMessage());
        } catch (ChicoryInterruptedException e) {
            throw world.interrupted(this, "the module's start section", e);
        } catch (ChicoryException e) {
            throw new GuestFault(FailureKind.BOOT, "node '" + name + "' (module " + module.name()
                    + ") could not be instantiated: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw world.outOfMemory(this, "instantiation (its initial memory, tables and start section)", e);
        } finally {
            world.exitGuest();
        }
        memory = (PagedMemory) instance.memory();
    }

    /**
     * A table instance with limits of its own. Chicory's {@code TableInstance.grow} raises the
     * minimum of the limits it was made with, and those belong to the module every world shares:
     * a {@code table.grow} in one world would make every later instance's table start larger, in
     * any world on any thread. A copy keeps each instance's growth to itself.
     */
    static TableInstance ownTable(Table table, int initialValue) {
        TableLimits limits = table.limits();
        return new TableInstance(new Table(table.elementType(), new TableLimits(limits.min(), limits.max(),
                limits.shared()), table.initialize()), initialValue);
    }

    /** argv for WASI: a boot that reads it depends on it. */
    List<String> readArguments() {
        List<String> argv = Wasi.argv(this);
        if (capture != null) {
            capture.readArguments(argv);
        }
        return argv;
    }

    /** The environment for WASI: a boot that reads it depends on it. */
    Map<String, String> readEnvironment() {
        if (capture != null) {
            capture.readEnvironment(environment);
        }
        return environment;
    }

    /** A boot that does {@code what} depends on the seed: nodes like this one keep booting from scratch. */
    void dependsOnSeed(String what) {
        if (capture != null) {
            capture.dependsOnSeed(what);
        }
    }

    /** A line into the world log (and into the boot image while a boot is captured). */
    void log(LogLine.Level level, String text) {
        if (capture != null) {
            capture.lines.add(new BootImage.Line(level, text));
        }
        world.log(this, level, text);
    }

    @Override
    public int ready() {
        return (int) invoke(Phase.READY, "parigot_ready", instance.export("parigot_ready"))[0];
    }

    @Override
    public void deliverCall(long callId, Route route, byte[] payload) {
        int svcLen = route.serviceBytes.length;
        int methodLen = route.methodBytes.length;
        int total = svcLen + methodLen + payload.length;
        doing("parigot_on_call", route, callId);
        boolean entered = enterGuest(); // parigot_alloc, the copies and the handler: one watched stretch
        try {
            int block = allocate(total);
            memory.write(block, route.serviceBytes, 0, svcLen);
            memory.write(block + svcLen, route.methodBytes, 0, methodLen);
            memory.write(block + svcLen + methodLen, payload, 0, payload.length);
            long[] args = onCallArgs;
            args[0] = callId;
            args[1] = block;
            args[2] = svcLen;
            args[3] = block + svcLen;
            args[4] = methodLen;
            args[5] = block + svcLen + methodLen;
            args[6] = payload.length;
            invoke(Phase.HANDLER, null, onCall, args);
        } finally {
            if (entered) {
                exitGuest();
            }
        }
    }

    @Override
    public void deliverResult(long callId, int status, byte[] payload) {
        doing("parigot_on_result", null, callId);
        boolean entered = enterGuest();
        try {
            int block = 0;
            if (payload.length > 0) {
                block = allocate(payload.length);
                memory.write(block, payload, 0, payload.length);
            }
            long[] args = onResultArgs;
            args[0] = callId;
            args[1] = status;
            args[2] = block;
            args[3] = payload.length;
            invoke(Phase.HANDLER, null, onResult, args);
        } finally {
            if (entered) {
                exitGuest();
            }
        }
    }

    /**
     * Guest code is about to run (the watchdog's count goes odd) unless it already is: a delivery
     * enters once for its parigot_alloc and its handler, saving a pair of atomic updates.
     */
    private boolean enterGuest() {
        if (insideGuest) {
            return false;
        }
        world.enterGuest();
        insideGuest = true;
        refusedGrowPages = 0;
        return true;
    }

    /** Pages of the last {@code memory.grow} the limit refused since guest code was entered; 0 if none. */
    private int refusedGrowPages;

    /** The memory refused a {@code memory.grow} of {@code pages} at its limit (the guest sees -1). */
    void growRefused(int pages) {
        refusedGrowPages = Math.max(1, pages);
    }

    private void exitGuest() {
        insideGuest = false;
        world.exitGuest();
    }

    /** Between {@link #enterGuest()} and {@link #exitGuest()}. */
    private boolean insideGuest;

    @Override
    public void deliverTimer(long timerId) {
        doing("parigot_on_timer", null, timerId);
        invoke(Phase.HANDLER, null, onTimer, timerId);
    }

    private void doing(String export, Route route, long id) {
        activityExport = export;
        activityRoute = route;
        activityId = id;
    }

    /** Which export runs now and for what: "parigot_on_call (bank.v1.Ledger/Get, call 7)". */
    public String activity() {
        if (activityRoute != null) {
            return activityExport + " (" + activityRoute.label + ", call " + activityId + ")";
        }
        if (activityId != 0) {
            return activityExport + (activityExport.equals("parigot_on_timer") ? " (timer " : " (call ")
                    + activityId + ")";
        }
        return activityExport;
    }

    // A small cache of resolved call sites, keyed by the raw name bytes the guest passed.
    private static final int SITES = 8;
    // Allocated at the first call a node makes: many nodes of a short seed call nothing.
    private byte[][] siteService;
    private byte[][] siteMethod;
    private World.CallSite[] sites;
    private int siteNext;

    /**
     * The cached site whose names equal the guest's bytes at [servicePtr, +serviceLen) and
     * [methodPtr, +methodLen), compared in place; both ranges must have been checked.
     */
    World.CallSite cachedSite(long servicePtr, int serviceLen, long methodPtr, int methodLen) {
        if (sites == null) {
            return null;
        }
        for (int i = 0; i < SITES; i++) {
            World.CallSite site = sites[i];
            if (site != null && siteService[i].length == serviceLen && siteMethod[i].length == methodLen
                    && memoryEquals((int) servicePtr, siteService[i]) && memoryEquals((int) methodPtr, siteMethod[i])) {
                return site;
            }
        }
        return null;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Whether guest memory at {@code ptr} holds {@code expected} (linear memory is little-endian). */
    private boolean memoryEquals(int ptr, byte[] expected) {
        int n = expected.length;
        if (n >= 8) {
            int i = 0;
            for (; i + 8 < n; i += 8) {
                if (memory.readLong(ptr + i) != (long) LONGS.get(expected, i)) {
                    return false;
                }
            }
            // The last 8 bytes, overlapping the previous word when n is not a multiple of 8.
            return memory.readLong(ptr + n - 8) == (long) LONGS.get(expected, n - 8);
        }
        if (n >= 4) {
            return memory.readInt(ptr) == (int) INTS.get(expected, 0)
                    && memory.readInt(ptr + n - 4) == (int) INTS.get(expected, n - 4);
        }
        for (int i = 0; i < n; i++) {
            if (memory.read(ptr + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    void cacheSite(byte[] service, byte[] method, World.CallSite site) {
        if (sites == null) {
            siteService = new byte[SITES][];
            siteMethod = new byte[SITES][];
            sites = new World.CallSite[SITES];
        }
        siteService[siteNext] = service;
        siteMethod[siteNext] = method;
        sites[siteNext] = site;
        siteNext = (siteNext + 1) % SITES;
    }

    /**
     * The arguments of the exports every step calls, filled in place: Chicory's compiled code reads
     * them into locals on entry and keeps no reference, and a node never receives a delivery while
     * one of these calls runs, so one array each serves every step.
     */
    private final long[] onCallArgs = new long[7];
    private final long[] onResultArgs = new long[4];
    private final long[] allocArgs = new long[1];

    private int allocate(int size) {
        long[] args = allocArgs;
        args[0] = size;
        long block = invoke(Phase.ALLOC, "parigot_alloc", alloc, args)[0] & 0xffffffffL;
        if (block == 0 || block + size > memoryBytes()) {
            throw new GuestFault(FailureKind.GUEST_FAULT, "node '" + name + "': parigot_alloc(" + size + ") returned "
                    + (block == 0 ? "0 (out of memory?)" : "block " + block + ", which does not fit in its "
                    + memoryBytes() + " bytes of memory") + " while delivering " + activity());
        }
        return (int) block;
    }

    public long memoryBytes() {
        return (long) memory.pages() * Memory.PAGE_SIZE;
    }

    /**
     * Before linear memory is allocated ({@code pages} pages of {@code memory.grow}, or the initial
     * memory at instantiation when null): fails the world as RESOURCE if the heap has no room.
     */
    void checkHeapRoom(long bytes, Integer pages) {
        if (!HeapGuard.room(bytes)) {
            String what = pages == null ? "its initial memory of " + HeapGuard.mebibytes(bytes) + " at instantiation"
                    : "memory.grow of " + pages + " page" + (pages == 1 ? "" : "s") + " (" + (bytes < (1L << 20)
                    ? bytes / 1024 + " KiB" : HeapGuard.mebibytes(bytes)) + ") in " + (phase == Phase.ALLOC ? describe("parigot_alloc") : activity());
            throw world.heapFull(this, what);
        }
    }

    /** The most linear memory this node can hold: its module's declared maximum or the node limit. */
    public long memoryBytesLimit() {
        return code.memoryBytesMax(world.config().memoryBytesMax());
    }

    /**
     * Runs one export under the watchdog and turns every way a guest can fail into a sentence.
     * {@code export} names the export for boot and alloc calls; null means the current event.
     */
    private long[] invoke(Phase newPhase, String export, ExportFunction function, long... args) {
        Phase saved = phase;
        if (export != null && newPhase != Phase.ALLOC) {
            doing(export, null, 0);
        }
        phase = newPhase;
        boolean entered = enterGuest();
        boolean returned = false;
        try {
            long[] results = function.apply(args);
            returned = true;
            return results;
        } catch (GuestFault | ProcExit | SimStop e) {
            throw e;
        } catch (ChicoryInterruptedException e) {
            throw world.interrupted(this, describe(export), e);
        } catch (TrapException e) {
            throw trap(describe(export), describeTrap(e), e);
        } catch (StackOverflowError e) {
            throw trap(describe(export), "the call stack overflowed (unbounded recursion?)", e);
        } catch (ChicoryException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof GuestFault || cause instanceof ProcExit || cause instanceof SimStop) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof ChicoryInterruptedException) {
                throw world.interrupted(this, describe(export), (ChicoryInterruptedException) cause);
            }
            throw trap(describe(export), describeTrap(e), e);
        } catch (OutOfMemoryError e) {
            // memory.grow allocating pages, Chicory's own structures, a host function's copy: the
            // world is over, and its memory goes back to the heap before anything else runs.
            throw world.outOfMemory(this, describe(export), e);
        } finally {
            if (entered) {
                exitGuest();
            }
            phase = saved;
            if (!returned) {
                tainted = true;
            }
        }
    }

    private String describe(String export) {
        return export != null && phase == Phase.ALLOC ? export + " while delivering " + activity() : activity();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t instanceof ChicoryException) {
            t = t.getCause();
        }
        return t;
    }

    private String describeTrap(ChicoryException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("call stack exhausted")) {
            return "the WASM call stack was exhausted (unbounded recursion?)";
        }
        if (message.contains("out of bounds memory access") && message.contains("address: -")) {
            return message + " (below address 0: the shadow stack overflowed, unbounded recursion?)";
        }
        if (message.contains("out of bounds memory access") && memory != null
                && memory.pages() >= memory.maximumPages()) {
            message += " (its memory had reached the limit of " + memoryBytes() / 1024 + " KiB)";
        }
        return message;
    }

    private GuestFault trap(String what, String description, Throwable cause) {
        String stack = WasmStack.of(code, cause);
        StringBuilder m = new StringBuilder("node '").append(name).append("' trapped in ").append(what).append(": ")
                .append(description);
        if (!stack.isEmpty()) {
            m.append("; WASM stack: ").append(stack);
        }
        if (refusedGrowPages > 0) {
            m.append("; memory.grow of ").append(refusedGrowPages).append(refusedGrowPages == 1 ? " page" : " pages")
                    .append(" had just been refused at the memory limit, so it most likely ran out of memory"
                    + " (AssemblyScript's runtime and Rust's allocator trap when an allocation fails); the limit is the"
                    + " lower of the module's declared maximum and SimConfig memoryBytesMax (parigot.memory.max)");
        }
        if (memory != null && memory.pages() >= memory.maximumPages()) {
            m.append("; its memory is at the limit of ").append(memoryBytes() / 1024).append(" KiB");
        } else if (memory != null) {
            // A refused memory.grow (malloc running dry, then abort) leaves memory just under the limit.
            m.append("; its memory: ").append(memoryBytes() / 1024).append(" KiB of its limit of ")
                    .append((long) memory.maximumPages() * Memory.PAGE_SIZE / 1024).append(" KiB");
        }
        return new GuestFault(FailureKind.TRAP, m.toString());
    }

    /**
     * The one rule for imports inside {@code parigot_alloc}: a guest fault naming the import and
     * why ({@code because}, e.g. "which may call no import").
     */
    void refuseInsideAlloc(String what, String because) {
        if (phase == Phase.ALLOC) {
            throw new GuestFault(FailureKind.GUEST_FAULT, "node '" + name + "' called " + what
                    + " inside parigot_alloc, " + because);
        }
    }

    /** No ABI v1 import may be called inside {@code parigot_alloc}. */
    public void refuseImportInsideAlloc(String what) {
        refuseInsideAlloc(what, "which may call no import");
    }

    // ---- memory access for host functions: every range is checked in 64-bit arithmetic ----

    void checkRange(long ptr, long len, String what) {
        long p = ptr & 0xffffffffL;
        long size = memoryBytes();
        if (len < 0 || p + len > size) {
            throw new GuestFault(FailureKind.GUEST_FAULT, "node '" + name + "' passed " + what + " at ["
                    + p + ", " + (p + len) + ")" + (len < 0 ? " with a negative length" : "")
                    + ", outside its " + size + " bytes of memory, in " + activity());
        }
    }

    byte[] read(long ptr, long len, String what) {
        checkRange(ptr, len, what);
        if (len == 0) {
            return World.EMPTY;
        }
        return memory.readBytes((int) ptr, (int) len);
    }

    /** A name (service, method, site): must be valid UTF-8. */
    String readName(long ptr, long len, String what) {
        return decodeName(read(ptr, len, what), what);
    }

    String decodeName(byte[] bytes, String what) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new GuestFault(FailureKind.GUEST_FAULT, "node '" + name + "' passed " + what
                    + " that is not valid UTF-8 (" + bytes.length + " bytes) in " + activity());
        }
    }

    /** Text for logs: invalid UTF-8 becomes replacement characters. */
    String readText(long ptr, long len, String what) {
        return new String(read(ptr, len, what), StandardCharsets.UTF_8);
    }

    void write(long ptr, byte[] bytes, String what) {
        checkRange(ptr, bytes.length, what);
        memory.write((int) ptr, bytes, 0, bytes.length);
    }

    /**
     * Fills [ptr, ptr + len) with the node's seeded random bytes: ABI {@code random_bytes} and
     * WASI {@code random_get} both come here, so both draw the same stream the same way.
     */
    void writeRandom(long ptr, int len, String what) {
        if (capture != null) { // no sentence built on every draw: only a boot being captured needs one
            capture.dependsOnSeed("it drew random bytes (" + (what.contains("random_get") ? "random_get"
                    : "random_bytes") + ")");
        }
        checkRange(ptr, len, what);
        byte[] bytes = new byte[len];
        random.nextBytes(bytes, 0, len);
        write(ptr, bytes, what);
    }

    void writeI32(long ptr, int value, String what) {
        checkRange(ptr, 4, what);
        memory.writeI32((int) ptr, value);
    }

    void writeI64(long ptr, long value, String what) {
        checkRange(ptr, 8, what);
        memory.writeLong((int) ptr, value);
    }

    int readI32(long ptr, String what) {
        checkRange(ptr, 4, what);
        return memory.readInt((int) ptr);
    }

    /** stdout (fd 1) and stderr (fd 2) go into the unified log, a line at a time. */
    void writeStd(int fd, byte[] bytes) {
        LogLine.Level level = fd == 1 ? LogLine.Level.INFO : LogLine.Level.WARN;
        StdBuffer buffer = fd == 1 ? stdout : stderr;
        if (buffer == null) {
            buffer = new StdBuffer();
            if (fd == 1) {
                stdout = buffer;
            } else {
                stderr = buffer;
            }
        }
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                log(level, buffer.line(bytes, from, i));
                from = i + 1;
            }
        }
        if (buffer.size + (bytes.length - from) > StdBuffer.KEPT_MAX) {
            log(level, buffer.line(bytes, from, bytes.length)); // a line without end is not kept without bound
        } else {
            buffer.keep(bytes, from, bytes.length);
        }
    }

    public void flushStd() {
        if (stdout != null && stdout.size > 0) {
            log(LogLine.Level.INFO, stdout.line(stdout.bytes, 0, 0));
        }
        if (stderr != null && stderr.size > 0) {
            log(LogLine.Level.WARN, stderr.line(stderr.bytes, 0, 0));
        }
    }

    /**
     * The bytes of a line not yet ended. Lines are decoded as UTF-8 whole, so a character whose
     * bytes two writes split (stdio flushes its buffer wherever it fills) reads as itself.
     */
    private static final class StdBuffer {
        /** The most kept of a line not yet ended: past it, what was written goes into the log as a line. */
        static final int KEPT_MAX = 64 * 1024;
        byte[] bytes = new byte[64];
        int size;

        /** What was kept, then {@code data[from, to)}, as one line; nothing is kept after. */
        String line(byte[] data, int from, int to) {
            String line;
            if (size == 0) {
                line = new String(data, from, to - from, StandardCharsets.UTF_8);
            } else {
                keep(data, from, to);
                line = new String(bytes, 0, size, StandardCharsets.UTF_8);
            }
            size = 0;
            return line;
        }

        void keep(byte[] data, int from, int to) {
            int n = to - from;
            if (n == 0) {
                return;
            }
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
            System.arraycopy(data, from, bytes, size, n);
            size += n;
        }
    }
}
