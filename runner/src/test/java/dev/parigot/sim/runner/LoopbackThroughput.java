package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.shop.v1.GetRecordRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A measurement, not a test: calls per second of shop.v1.Catalog/Get (the AssemblyScript guest)
 * through one unit over loopback gRPC, against the same calls in a simulated world, in one JVM.
 * Arguments: the warm-up calls of each path (default 2,000) and the measured calls (default 5,000).
 * docs/runner.md gives the command and the figures.
 */
public final class LoopbackThroughput {
    private static int WARMUP = 2_000;
    private static int CALLS = 5_000;
    private static final int IN_FLIGHT = 16;

    private LoopbackThroughput() {
    }

    public static void main(String[] args) throws Exception {
        WARMUP = args.length > 0 ? Integer.parseInt(args[0]) : WARMUP;
        CALLS = args.length > 1 ? Integer.parseInt(args[1]) : CALLS;
        byte[] request = GetRecordRequest.newBuilder().setSku("columbia-8163").build().toByteArray();
        simulated(request, WARMUP);
        double sim = simulated(request, CALLS);
        try (UnitHost unit = UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog"))
                .log(line -> { }).start()) {
            ManagedChannel channel = Modules.channel(unit.target());
            sequential(channel, request, WARMUP);
            double one = sequential(channel, request, CALLS);
            pipelined(channel, request, WARMUP);
            double many = pipelined(channel, request, CALLS);
            Modules.close(channel);
            System.out.printf("simulation, one world (default config), %d calls one after another: %,.0f calls/s%n",
                    CALLS, sim);
            System.out.printf("one unit over loopback gRPC, %d calls one after another:             %,.0f calls/s%n",
                    CALLS, one);
            System.out.printf("one unit over loopback gRPC, %d calls, %d in flight:                 %,.0f calls/s%n",
                    CALLS, IN_FLIGHT, many);
            System.out.printf("simulation / gRPC one after another: %.1fx%n", sim / one);
        }
        System.exit(0);
    }

    private static double simulated(byte[] request, int calls) {
        Sim sim = Sim.create(SimConfig.builder().seed(1).echoLog(false).build());
        sim.add(GuestModule.load(Modules.CATALOG));
        TestClient client = sim.client("client");
        sim.boot();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            SimFuture<byte[]> f = client.call("shop.v1.Catalog", "Get", request);
            sim.await(f);
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private static double sequential(ManagedChannel channel, byte[] request, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Modules.call(channel, "shop.v1.Catalog/Get", request);
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private static double pipelined(ManagedChannel channel, byte[] request, int calls) throws Exception {
        long start = System.nanoTime();
        for (int done = 0; done < calls; done += IN_FLIGHT) {
            List<com.google.common.util.concurrent.ListenableFuture<byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                batch.add(ClientCalls.futureUnaryCall(channel.newCall(RawBytes.unary("shop.v1.Catalog/Get"),
                        CallOptions.DEFAULT), request));
            }
            for (var f : batch) {
                f.get(20, TimeUnit.SECONDS);
            }
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }
}
