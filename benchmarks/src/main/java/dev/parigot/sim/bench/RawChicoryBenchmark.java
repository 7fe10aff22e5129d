package dev.parigot.sim.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.parigot.sim.samples.bench.v1.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline for {@link KernelBenchmark}: the same ping-pong, the same export calls and the
 * same copies of payloads in and out of guest memory, driven by a bare loop with minimal host
 * functions (no queue, no scheduler, no trace, no checks). One operation is one export call
 * (pong's parigot_on_call or ping's parigot_on_result), i.e. what the kernel calls a step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RawChicoryBenchmark {
    static final int ROUNDS = 10_000;
    private static final byte[] PONG = "bench.v1.Pong".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PING = "Ping".getBytes(StandardCharsets.UTF_8);

    private Instance ping;
    private Instance pong;
    private ExportFunction pingAlloc;
    private ExportFunction pingOnResult;
    private ExportFunction pongAlloc;
    private ExportFunction pongOnCall;
    private long nextId = 1;
    private long pendingCall;
    private byte[] pendingRequest;
    private byte[] pendingReply;

    @Setup
    public void instantiate() {
        pong = instance("/guests/pong.wasm");
        ping = instance("/guests/ping.wasm");
        pingAlloc = ping.export("parigot_alloc");
        pingOnResult = ping.export("parigot_on_result");
        pongAlloc = pong.export("parigot_alloc");
        pongOnCall = pong.export("parigot_on_call");
        for (Instance i : List.of(pong, ping)) {
            if (i.exports().function("_initialize") != null) {
                i.export("_initialize").apply();
            }
            i.export("parigot_start").apply();
            i.export("parigot_ready").apply();
        }
        // Ask ping for "forever" rounds: its first Pong.Ping call is now pending.
        byte[] run = RunRequest.newBuilder().setRounds(Long.MAX_VALUE).build().toByteArray();
        deliverCall(ping, pingAlloc, ping.export("parigot_on_call"), nextId++,
                "bench.v1.Pinger".getBytes(StandardCharsets.UTF_8), "Run".getBytes(StandardCharsets.UTF_8), run);
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public long exportCalls() {
        for (int i = 0; i < ROUNDS; i++) {
            long call = pendingCall;
            deliverCall(pong, pongAlloc, pongOnCall, call, PONG, PING, pendingRequest);
            byte[] reply = pendingReply;
            int block = (int) pingAlloc.apply(reply.length)[0];
            ping.memory().write(block, reply);
            pingOnResult.apply(call, 0, block, reply.length);
        }
        return pendingCall;
    }

    private static void deliverCall(Instance instance, ExportFunction alloc, ExportFunction onCall, long id,
            byte[] service, byte[] method, byte[] payload) {
        int total = service.length + method.length + payload.length;
        int block = (int) alloc.apply(total)[0];
        instance.memory().write(block, service);
        instance.memory().write(block + service.length, method);
        instance.memory().write(block + service.length + method.length, payload);
        onCall.apply(id, block, service.length, block + service.length, method.length,
                block + service.length + method.length, payload.length);
    }

    /** Parsed and compiled once per JVM, as the kernel does, so every instance shares the JIT's work. */
    private static final java.util.Map<String, Object[]> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private Instance instance(String resource) {
        Object[] compiled = COMPILED.computeIfAbsent(resource, r -> {
            try (InputStream in = RawChicoryBenchmark.class.getResourceAsStream(r)) {
                WasmModule parsed = Parser.parse(in.readAllBytes());
                return new Object[] {parsed, MachineFactoryCompiler.compile(parsed)};
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        WasmModule module = (WasmModule) compiled[0];
        Function<Instance, Machine> factory = (Function<Instance, Machine>) compiled[1];
        List<HostFunction> functions = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            FunctionImport imp = (FunctionImport) module.importSection().getImport(i);
            FunctionType type = module.typeSection().getType(imp.typeIndex());
            functions.add(new HostFunction(imp.module(), imp.name(), type, handler(imp.name(), type)));
        }
        return Instance.builder(module)
                .withImportValues(ImportValues.builder().withFunctions(new ArrayList<>(functions)).build())
                .withMachineFactory(factory)
                .withMemoryFactory(com.dylibso.chicory.runtime.ByteArrayMemory::new) // Chicory's fastest memory (the kernel runs PagedMemory)
                .withMemoryLimits(new MemoryLimits(module.memorySection().get().getMemory(0).limits().initialPages(),
                        1024))
                .withStart(false)
                .build();
    }

    private com.dylibso.chicory.runtime.WasmFunctionHandle handler(String name, FunctionType type) {
        switch (name) {
            case "call":
                return (inst, a) -> {
                    pendingRequest = inst.memory().readBytes((int) a[4], (int) a[5]);
                    pendingCall = nextId++;
                    return new long[] {pendingCall};
                };
            case "reply":
                return (inst, a) -> {
                    pendingReply = inst.memory().readBytes((int) a[2], (int) a[3]);
                    return new long[] {0};
                };
            default:
                long[] zero = type.returns().isEmpty() ? new long[0] : new long[] {0};
                return (inst, a) -> zero;
        }
    }
}
