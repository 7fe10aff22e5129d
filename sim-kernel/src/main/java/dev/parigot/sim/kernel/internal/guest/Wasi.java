package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.node.ProcExit;
import dev.parigot.sim.kernel.internal.node.World;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic WASI preview 1: virtual clocks, seeded {@code random_get}, stdout and stderr into
 * the unified log, {@code proc_exit} as ABI {@code exit}, a {@code poll_oneoff} that never sleeps,
 * arguments and environment from the test, and no host files or sockets. Functions outside this
 * set answer ENOSYS (or EBADF for descriptors), so a module that imports them still loads.
 */
public final class Wasi {
    private Wasi() {
    }

    public static final FunctionType ABORT_TYPE = FunctionType.of(
            List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of());

    /** The realtime clock reads this many ns (2025-01-01T00:00:00Z) plus virtual time. */
    public static final long REALTIME_EPOCH_NANOS = 1_735_689_600_000_000_000L;

    static final int ESUCCESS = 0;
    static final int EBADF = 8;
    static final int EINVAL = 28;
    static final int ENOSYS = 52;
    static final int ESPIPE = 70;

    private static final ValType I32 = ValType.I32;
    private static final ValType I64 = ValType.I64;
    static final Map<String, FunctionType> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("args_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("args_sizes_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("environ_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("environ_sizes_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("clock_res_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("clock_time_get", FunctionType.of(List.of(I32, I64, I32), List.of(I32)));
        KNOWN.put("fd_write", FunctionType.of(List.of(I32, I32, I32, I32), List.of(I32)));
        KNOWN.put("fd_read", FunctionType.of(List.of(I32, I32, I32, I32), List.of(I32)));
        KNOWN.put("fd_close", FunctionType.of(List.of(I32), List.of(I32)));
        KNOWN.put("fd_fdstat_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("fd_seek", FunctionType.of(List.of(I32, I64, I32, I32), List.of(I32)));
        KNOWN.put("fd_prestat_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("fd_prestat_dir_name", FunctionType.of(List.of(I32, I32, I32), List.of(I32)));
        KNOWN.put("proc_exit", FunctionType.of(List.of(I32), List.of()));
        KNOWN.put("random_get", FunctionType.of(List.of(I32, I32), List.of(I32)));
        KNOWN.put("sched_yield", FunctionType.of(List.of(), List.of(I32)));
        KNOWN.put("poll_oneoff", FunctionType.of(List.of(I32, I32, I32, I32), List.of(I32)));
    }

    public static void checkImport(String module, String name, FunctionType type) {
        FunctionType expected = KNOWN.get(name);
        if (expected != null && !expected.equals(type)) {
            throw new ModuleException("module '" + module + "' imports wasi_snapshot_preview1." + name
                    + " with type " + GuestCode.signature(type) + ", but WASI preview 1 defines "
                    + GuestCode.signature(expected));
        }
        if (expected == null && (type.returns().size() > 1
                || (type.returns().size() == 1 && !type.returns().get(0).equals(I32)))) {
            throw new ModuleException("module '" + module + "' imports wasi_snapshot_preview1." + name
                    + " with type " + GuestCode.signature(type) + ", which is not a WASI preview 1 function");
        }
    }

    static HostFunction abortFunction(HostSlot slot) {
        return new HostFunction("env", "abort", ABORT_TYPE, (inst, a) -> {
            GuestNode node = slot.node;
            String message = assemblyScriptString(node, a[0]);
            String file = assemblyScriptString(node, a[1]);
            throw new GuestFault(FailureKind.TRAP, "node '" + node.name + "' called abort(" + (message == null ? ""
                    : "\"" + message + "\"") + ")" + (file == null ? "" : " at " + file + ":" + a[2] + ":" + a[3])
                    + " in " + node.activity());
        });
    }

    /** Longest abort message or file name read, in UTF-16 code units. */
    private static final int ABORT_TEXT_UNITS_MAX = 512;

    /**
     * An AssemblyScript string (UTF-16LE; its byte length is the u32 just before it, in the
     * object header), or null if {@code ptr} is 0 or the string does not lie in memory. Read
     * best-effort: abort is already a failure, so a bad pointer costs only the text.
     */
    static String assemblyScriptString(GuestNode node, long ptr) {
        long p = ptr & 0xffffffffL;
        long size = node.memoryBytes();
        if (p < 4 || p > size) {
            return null;
        }
        byte[] header = node.memory().readBytes((int) p - 4, 4);
        long bytes = (header[0] & 0xffL) | (header[1] & 0xffL) << 8 | (header[2] & 0xffL) << 16
                | (header[3] & 0xffL) << 24;
        bytes = Math.min(bytes & ~1L, 2L * ABORT_TEXT_UNITS_MAX);
        if (p + bytes > size) {
            return null;
        }
        return new String(node.memory().readBytes((int) p, (int) bytes), java.nio.charset.StandardCharsets.UTF_16LE);
    }

    /**
     * The host function of WASI import {@code imp} of {@code code} (checked when the module was
     * loaded) for the node in {@code slot}, read at each call.
     */
    static HostFunction hostFunction(HostSlot slot, GuestCode code, FunctionImport imp) {
        FunctionType type = code.wasm().typeSection().getType(imp.typeIndex());
        WasmFunctionHandle handle = handle(slot, imp.name());
        if (handle == null) {
            int errno = imp.name().startsWith("fd_") || imp.name().startsWith("path_") ? EBADF : ENOSYS;
            long[] result = type.returns().isEmpty() ? new long[0] : new long[] {errno};
            handle = (inst, a) -> result;
        }
        return new HostFunction("wasi_snapshot_preview1", imp.name(), type, handle);
    }

    private static long[] errno(int e) {
        return new long[] {e};
    }

    private static WasmFunctionHandle handle(HostSlot slot, String name) {
        switch (name) {
            case "args_sizes_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    return sizes(node, node.readArguments(), a[0], a[1]);
                };
            case "args_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    return strings(node, node.readArguments(), a[0], a[1]);
                };
            case "environ_sizes_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    return sizes(node, environ(node.readEnvironment()), a[0], a[1]);
                };
            case "environ_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    return strings(node, environ(node.readEnvironment()), a[0], a[1]);
                };
            case "clock_res_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    if (a[0] < 0 || a[0] > 3) {
                        return errno(EINVAL);
                    }
                    node.writeI64(a[1], 1L, "a clock resolution");
                    return errno(ESUCCESS);
                };
            case "clock_time_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    World world = node.world;
                    node.dependsOnSeed("it read the clock (clock_time_get)");
                    long now = world.nowNanos(node);
                    long value;
                    if (a[0] == 0) {
                        value = REALTIME_EPOCH_NANOS + now;
                    } else if (a[0] >= 1 && a[0] <= 3) {
                        value = now;
                    } else {
                        return errno(EINVAL);
                    }
                    node.writeI64(a[2], value, "a clock reading");
                    return errno(ESUCCESS);
                };
            case "fd_write":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    int fd = (int) a[0];
                    if (fd != 1 && fd != 2) {
                        return errno(EBADF);
                    }
                    long written = 0;
                    for (int i = 0; i < (int) a[2]; i++) {
                        long iov = (a[1] & 0xffffffffL) + 8L * i;
                        long base = node.readI32(iov, "an iovec") & 0xffffffffL;
                        int len = node.readI32(iov + 4, "an iovec");
                        byte[] bytes = node.read(base, len, "fd_write data");
                        node.writeStd(fd, bytes);
                        written += bytes.length;
                    }
                    node.writeI32(a[3], (int) written, "fd_write's count");
                    return errno(ESUCCESS);
                };
            case "fd_read":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    if (a[0] != 0) {
                        return errno(EBADF);
                    }
                    node.writeI32(a[3], 0, "fd_read's count");
                    return errno(ESUCCESS);
                };
            case "fd_close":
                return (inst, a) -> errno(a[0] >= 0 && a[0] <= 2 ? ESUCCESS : EBADF);
            case "fd_fdstat_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    if (a[0] < 0 || a[0] > 2) {
                        return errno(EBADF);
                    }
                    // fdstat: filetype u8 (2 = character device), flags u16, rights base u64, inheriting u64.
                    node.checkRange(a[1], 24, "an fdstat");
                    node.write(a[1], new byte[24], "an fdstat");
                    node.write(a[1], new byte[] {2}, "an fdstat");
                    node.writeI64(a[1] + 8, a[0] == 0 ? 0x2L : 0x40L, "an fdstat");
                    return errno(ESUCCESS);
                };
            case "fd_seek":
                return (inst, a) -> errno(a[0] >= 0 && a[0] <= 2 ? ESPIPE : EBADF);
            case "fd_prestat_get":
            case "fd_prestat_dir_name":
                return (inst, a) -> errno(EBADF);
            case "proc_exit":
                return (inst, a) -> {
                    // Other WASI calls are fine there (Rust's std reads its environment on entry to every export).
                    slot.node.refuseInsideAlloc("WASI proc_exit", "which must return a block");
                    throw new ProcExit((int) a[0]);
                };
            case "random_get":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    node.writeRandom(a[0], (int) a[1], "a random_get buffer");
                    return errno(ESUCCESS);
                };
            case "sched_yield":
                return (inst, a) -> errno(ESUCCESS);
            case "poll_oneoff":
                return (inst, a) -> {
                    GuestNode node = slot.node;
                    return pollOneoff(node, a[0], a[1], (int) a[2], a[3]);
                };
            default:
                return null;
        }
    }

    /**
     * Every subscription is answered at once: clocks have "expired" (a reactor never waits; time
     * moves only between events) and the standard streams are always ready. Nothing sleeps.
     */
    private static long[] pollOneoff(GuestNode node, long in, long out, int count, long eventsPtr) {
        if (count <= 0) {
            return errno(EINVAL);
        }
        node.checkRange(in, 48L * count, "poll_oneoff subscriptions");
        node.checkRange(out, 32L * count, "poll_oneoff events");
        for (int i = 0; i < count; i++) {
            long sub = (in & 0xffffffffL) + 48L * i;
            byte[] subscription = node.read(sub, 48, "a subscription");
            byte tag = subscription[8];
            byte[] event = new byte[32];
            System.arraycopy(subscription, 0, event, 0, 8);
            event[10] = tag;
            if (tag != 0) {
                int fd = node.readI32(sub + 16, "a subscription");
                if (fd < 0 || fd > 2) {
                    event[8] = (byte) EBADF;
                }
            }
            node.write((out & 0xffffffffL) + 32L * i, event, "a poll event");
        }
        node.writeI32(eventsPtr, count, "poll_oneoff's count");
        return errno(ESUCCESS);
    }

    /** argv: the node's name, then its arguments. */
    static List<String> argv(GuestNode node) {
        List<String> all = new ArrayList<>();
        all.add(node.name);
        all.addAll(node.arguments);
        return all;
    }

    private static List<String> environ(Map<String, String> environment) {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            all.add(e.getKey() + "=" + e.getValue());
        }
        return all;
    }

    private static long[] sizes(GuestNode node, List<String> strings, long countPtr, long bytesPtr) {
        long bytes = 0;
        for (String s : strings) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        node.writeI32(countPtr, strings.size(), "a count");
        node.writeI32(bytesPtr, (int) bytes, "a size");
        return errno(ESUCCESS);
    }

    private static long[] strings(GuestNode node, List<String> strings, long pointersPtr, long bufPtr) {
        long pointer = pointersPtr & 0xffffffffL;
        long buf = bufPtr & 0xffffffffL;
        for (String s : strings) {
            byte[] raw = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[raw.length + 1];
            System.arraycopy(raw, 0, z, 0, raw.length);
            node.writeI32(pointer, (int) buf, "a string pointer");
            node.write(buf, z, "a string");
            pointer += 4;
            buf += z.length;
        }
        return errno(ESUCCESS);
    }
}
