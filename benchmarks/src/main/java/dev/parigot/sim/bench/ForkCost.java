package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.Multiverse;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.PingPongSample;
import dev.parigot.sim.samples.bench.v1.RunReply;
import dev.parigot.sim.samples.bench.v1.RunRequest;
import dev.parigot.sim.scheduler.Seed;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a fork costs ({@link Multiverse#fork}): a fork re-runs its prefix, so its cost grows with
 * the prefix. Ping-pong worlds with prefixes of 0, 1,000 and 10,000 rounds, each fork then
 * running 100 more rounds, against a plain world of 100 rounds, rounds alternating.
 *
 * <pre>java -XX:-DontCompileHugeMethods -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.ForkCost</pre>
 */
public final class ForkCost {
    static final int ROUNDS = 7;
    static final int FORKS = 200;
    static final long CONTINUATION = 100;

    private ForkCost() {
    }

    static long run(Sim sim, String client, long rounds) {
        return sim.await(sim.client(client).call("bench.v1.Pinger", "Run",
                RunRequest.newBuilder().setRounds(rounds).build(), RunReply.parser())).getCompleted();
    }

    public static void main(String[] args) {
        long[] prefixes = {0, 1_000, 10_000};
        double[][] forkMicros = new double[prefixes.length][ROUNDS];
        double[] plainMicros = new double[ROUNDS];
        SimConfig config = SimConfig.builder().echoLog(false).seed(1).build();
        for (int round = -3; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < FORKS; i++) {
                Sim sim = Sim.create(config.withSeed(Seed.of(i)));
                PingPongSample.rounds(sim, CONTINUATION);
            }
            double plain = (System.nanoTime() - t0) / 1e3 / FORKS;
            for (int p = 0; p < prefixes.length; p++) {
                long prefix = prefixes[p];
                Multiverse<Void> m = Multiverse.of(config, sim -> {
                    sim.add(PingPongSample.pong()).add(PingPongSample.ping()).boot();
                    if (prefix > 0) {
                        run(sim, "prefix", prefix);
                    }
                    return null;
                });
                long t1 = System.nanoTime();
                for (int i = 0; i < FORKS; i++) {
                    m.fork(Seed.of(i), (sim, v) -> run(sim, "continuation", CONTINUATION));
                }
                double fork = (System.nanoTime() - t1) / 1e3 / FORKS;
                if (round >= 0) {
                    forkMicros[p][round] = fork;
                }
            }
            if (round >= 0) {
                plainMicros[round] = plain;
            }
        }
        Arrays.sort(plainMicros);
        System.out.printf(Locale.ROOT, "ping-pong, %d rounds after the fork point, %d forks per measurement, median of %d:%n",
                CONTINUATION, FORKS, ROUNDS);
        System.out.printf(Locale.ROOT, "  plain world of %d rounds:      %8.1f µs%n", CONTINUATION, plainMicros[ROUNDS / 2]);
        for (int p = 0; p < prefixes.length; p++) {
            Arrays.sort(forkMicros[p]);
            System.out.printf(Locale.ROOT, "  fork after %,6d rounds:       %8.1f µs per fork (%.1fx the plain world)%n",
                    prefixes[p], forkMicros[p][ROUNDS / 2], forkMicros[p][ROUNDS / 2] / plainMicros[ROUNDS / 2]);
        }
    }
}
