package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.scheduler.Seed;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What each guest SDK adds to one typed call: the same service, {@code example.v1.Ping} (answer
 * {@code n + 1} and the request's text), written with the C SDK (nanopb messages and the
 * generated stubs), the Rust SDK (prost) and the AssemblyScript SDK (as-proto), each called
 * {@value #CALLS} times in a row by a test client in a world of its own. The three run in turn
 * in every round (the order rotating), timed by this thread's CPU time; prints each SDK's
 * microseconds per call and its ratio to C's, per round and as the median.
 *
 * <pre>java -XX:-DontCompileHugeMethods -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.SdkCallOverhead 9</pre>
 *
 * Run from the repository root: the modules are read from guest-sdk/{c,rust,assemblyscript}/examples/ping/.
 */
public final class SdkCallOverhead {
    static final int CALLS = 20_000;
    private static final int WARMUP_ROUNDS = 5;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final String[] NAMES = {"C", "Rust", "AssemblyScript"};
    private static final String[] PATHS = {"guest-sdk/c/examples/ping/ping.wasm",
        "guest-sdk/rust/examples/ping/ping.wasm", "guest-sdk/assemblyscript/examples/ping/ping.wasm"};

    private SdkCallOverhead() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        GuestModule[] modules = new GuestModule[NAMES.length];
        for (int i = 0; i < modules.length; i++) {
            Path path = Path.of(PATHS[i]);
            if (!Files.exists(path)) {
                System.err.println("SdkCallOverhead: " + path.toAbsolutePath() + " is missing; run from the"
                        + " repository root");
                System.exit(2);
            }
            modules[i] = GuestModule.load(path);
        }
        double[][] micros = new double[NAMES.length][rounds];
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            for (int turn = 0; turn < NAMES.length; turn++) {
                int m = Math.floorMod(turn + round, NAMES.length);
                double us = microsPerCall(modules[m]);
                if (round >= 0) {
                    micros[m][round] = us;
                }
            }
        }
        System.out.printf(Locale.ROOT, "typed Ping calls, %,d per world, %d rounds after %d warm-up rounds;"
                + " CPU time of this thread%n", CALLS, rounds, WARMUP_ROUNDS);
        for (int m = 0; m < NAMES.length; m++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = micros[m][r] / micros[0][r];
            }
            System.out.printf(Locale.ROOT, "%-15s median %6.2f µs/call (rounds %s); against C: median %.2fx"
                    + " (rounds %s)%n", NAMES[m], median(micros[m]), format(micros[m], "%.2f"), median(ratios),
                    format(ratios, "%.2f"));
        }
    }

    /** One world: a client calls Ping {@link #CALLS} times, each after the previous answer. */
    static double microsPerCall(GuestModule module) {
        Sim sim = Sim.create(SimConfig.builder().seed(Seed.of(7)).echoLog(false).build()).add(module);
        TestClient client = sim.client("client");
        sim.boot();
        byte[] request = {0x08, 0x01, 0x12, 0x04, 'p', 'i', 'n', 'g'}; // n: 1, text: "ping"
        byte[] expected = {0x08, 0x02, 0x12, 0x04, 'p', 'i', 'n', 'g'}; // n: 2, text: "ping"
        byte[] first = sim.await(client.call("example.v1.Ping", "Ping", request));
        if (!Arrays.equals(first, expected)) {
            throw new IllegalStateException(module + " answered " + Arrays.toString(first) + ", not n + 1 and the"
                    + " same text");
        }
        long start = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
            sim.await(client.call("example.v1.Ping", "Ping", request)); // a status other than OK throws
        }
        long nanos = CPU.getCurrentThreadCpuTime() - start;
        return nanos / 1e3 / CALLS;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String format(double[] values, String form) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, form, v));
        }
        return s.toString();
    }
}
