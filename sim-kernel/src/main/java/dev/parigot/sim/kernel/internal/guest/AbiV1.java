package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.node.World;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of ABI v1: every import of module {@code parigot}, exactly as docs/abi.md
 * specifies. Each function checks the guest's pointers and phase, then hands over to the kernel.
 */
public final class AbiV1 {
    private AbiV1() {
    }

    private static final ValType I32 = ValType.I32;
    private static final ValType I64 = ValType.I64;
    static final Map<String, FunctionType> IMPORTS = new LinkedHashMap<>();

    static {
        IMPORTS.put("export_service", FunctionType.of(List.of(I32, I32), List.of(I32)));
        IMPORTS.put("require_service", FunctionType.of(List.of(I32, I32), List.of(I32)));
        IMPORTS.put("call", FunctionType.of(List.of(I32, I32, I32, I32, I32, I32), List.of(I64)));
        IMPORTS.put("reply", FunctionType.of(List.of(I64, I32, I32, I32), List.of(I32)));
        IMPORTS.put("timer_set", FunctionType.of(List.of(I64), List.of(I64)));
        IMPORTS.put("timer_cancel", FunctionType.of(List.of(I64), List.of(I32)));
        IMPORTS.put("now_ns", FunctionType.of(List.of(), List.of(I64)));
        IMPORTS.put("random_bytes", FunctionType.of(List.of(I32, I32), List.of()));
        IMPORTS.put("log", FunctionType.of(List.of(I32, I32, I32), List.of()));
        IMPORTS.put("exit", FunctionType.of(List.of(I32), List.of()));
        IMPORTS.put("buggify", FunctionType.of(List.of(I32, I32), List.of(I32)));
        IMPORTS.put("assert", FunctionType.of(List.of(I32, I32, I32, I32), List.of()));
    }

    public static void checkImport(String module, String name, FunctionType type) {
        FunctionType expected = IMPORTS.get(name);
        if (expected == null) {
            throw new ModuleException("module '" + module + "' imports parigot." + name
                    + ", which ABI v1 does not define; the imports are " + String.join(", ", IMPORTS.keySet())
                    + " (see docs/abi.md)");
        }
        if (!expected.equals(type)) {
            throw new ModuleException("module '" + module + "' imports parigot." + name + " with type "
                    + GuestCode.signature(type) + ", but ABI v1 defines it as " + GuestCode.signature(expected));
        }
    }

    private static final long[] NONE = new long[0];

    /**
     * {@code export_service} and {@code require_service}: only in {@code parigot_start}, never
     * inside {@code parigot_alloc}; a name without '@' or '/'; exporting twice is ALREADY_EXISTS,
     * requiring twice is OK.
     */
    private static int declare(GuestNode node, boolean export, String service) {
        node.refuseImportInsideAlloc(export ? "export_service" : "require_service");
        if (node.phase != GuestNode.Phase.START) {
            return Status.FAILED_PRECONDITION.code();
        }
        if (service.isEmpty() || service.contains("@") || service.contains("/")) {
            return Status.INVALID_ARGUMENT.code();
        }
        List<String> list = export ? node.exports : node.requires;
        if (list.contains(service)) {
            return export ? Status.ALREADY_EXISTS.code() : Status.OK.code();
        }
        list.add(service);
        return Status.OK.code();
    }

    /** A payload over the world's one limit ({@link World#payloadOverLimit}) is a guest fault. */
    private static void checkPayload(World world, GuestNode node, String service, String method, int length) {
        if (length <= world.config().payloadBytesLimit()) {
            return; // the hot path: no sentence, no lambda
        }
        String problem = world.payloadOverLimit(length, bytes -> "node '" + node.name + "' sent a payload of "
                + bytes + (service.isEmpty() ? " in a reply" : " to " + service + "/" + method));
        throw new GuestFault(FailureKind.GUEST_FAULT, problem + ", in " + node.activity());
    }

    /**
     * The host function of import {@code name} (one that ABI v1 defines: the module was checked
     * when it was loaded) for the node in {@code slot}, read at each call. A node gets the functions its module imports, in the
     * module's order, so that Chicory's import matching finds each at once.
     */
    static HostFunction hostFunction(HostSlot slot, String name) {
        switch (name) {
            case "export_service":
                return fn("export_service", (inst, a) -> {
                    GuestNode node = slot.node;
                    return i32(declare(node, true, node.readName(a[0], a[1], "a service name")));
                });
            case "require_service":
                return fn("require_service", (inst, a) -> {
                    GuestNode node = slot.node;
                    return i32(declare(node, false, node.readName(a[0], a[1], "a service name")));
                });
            case "call":
                return fn("call", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    node.refuseImportInsideAlloc("call");
                    if (node.phase == GuestNode.Phase.START || node.phase == GuestNode.Phase.INITIALIZE) {
                        return new long[] {-Status.FAILED_PRECONDITION.code()};
                    }
                    node.checkRange(a[0], a[1], "a service name");
                    node.checkRange(a[2], a[3], "a method name");
                    // Names seen before are compared where they lie in guest memory: no copy per call.
                    World.CallSite site = node.cachedSite(a[0], (int) a[1], a[2], (int) a[3]);
                    String service;
                    String method;
                    if (site == null) {
                        byte[] serviceBytes = node.read(a[0], a[1], "a service name");
                        byte[] methodBytes = node.read(a[2], a[3], "a method name");
                        service = node.decodeName(serviceBytes, "a service name");
                        method = node.decodeName(methodBytes, "a method name");
                        site = world.resolve(node, service, method);
                        node.cacheSite(serviceBytes, methodBytes, site);
                    } else {
                        service = site.route == null ? "" : site.route.service;
                        method = site.route == null ? "" : site.route.method;
                    }
                    node.checkRange(a[4], (int) a[5], "a payload");
                    checkPayload(world, node, service, method, (int) a[5]);
                    byte[] payload = node.read(a[4], (int) a[5], "a payload");
                    return new long[] {world.call(node, site, payload)};
                });
            case "reply":
                return fn("reply", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "reply");
                    node.checkRange(a[2], (int) a[3], "a reply payload");
                    checkPayload(world, node, "", "reply", (int) a[3]);
                    byte[] payload = node.read(a[2], (int) a[3], "a reply payload");
                    return i32(world.reply(node, a[0], (int) a[1], payload));
                });
            case "timer_set":
                return fn("timer_set", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "timer_set");
                    return new long[] {world.timerSet(node, a[0])};
                });
            case "timer_cancel":
                return fn("timer_cancel", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "timer_cancel");
                    return i32(world.timerCancel(node, a[0]));
                });
            case "now_ns":
                return fn("now_ns", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "now_ns");
                    return new long[] {world.nowNanos(node)};
                });
            case "random_bytes":
                return fn("random_bytes", (inst, a) -> {
                    GuestNode node = slot.node;
                    onlyInHandler(node, "random_bytes");
                    node.writeRandom(a[0], (int) a[1], "a random_bytes buffer");
                    return NONE;
                });
            case "log":
                return fn("log", (inst, a) -> {
                    GuestNode node = slot.node;
                    node.refuseImportInsideAlloc("log");
                    node.log(LogLine.Level.ofAbi((int) a[0]), node.readText(a[1], (int) a[2], "log text"));
                    return NONE;
                });
            case "exit":
                return fn("exit", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "exit");
                    world.requestExit(node, (int) a[0]);
                    return NONE;
                });
            case "buggify":
                return fn("buggify", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "buggify");
                    return i32(world.buggify(node, node.readName(a[0], a[1], "a buggify site")));
                });
            case "assert":
                return fn("assert", (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    onlyInHandler(node, "assert");
                    world.guestAssert(node, (int) a[0], a[1] != 0, node.readText(a[2], (int) a[3], "an assert message"));
                    return NONE;
                });
            default:
                throw new IllegalArgumentException("ABI v1 defines no import " + name);
        }
    }

    private static HostFunction fn(String name, com.dylibso.chicory.runtime.WasmFunctionHandle handle) {
        return new HostFunction("parigot", name, IMPORTS.get(name), handle);
    }

    private static long[] i32(int v) {
        return new long[] {v};
    }

    /** Imports that parigot_start (and _initialize, parigot_alloc) may not call. */
    private static void onlyInHandler(GuestNode node, String what) {
        switch (node.phase) {
            case READY:
            case HANDLER:
                return;
            case ALLOC:
                node.refuseImportInsideAlloc(what);
                return;
            default:
                throw new GuestFault(FailureKind.BOOT, "node '" + node.name + "' called " + what + " during "
                        + (node.phase == GuestNode.Phase.START ? "parigot_start" : "_initialize")
                        + ", which may call only export_service, require_service and log"
                        + " (declarations must not depend on time, randomness or messages)");
        }
    }
}
