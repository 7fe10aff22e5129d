package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.PingPongSample;
import dev.parigot.sim.samples.bench.v1.RunReply;
import dev.parigot.sim.samples.bench.v1.RunRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kernel steps per second on a ping-pong between two compiled C services (each round trip is
 * two steps: the call delivered to pong, the result delivered to ping), next to
 * {@link RawChicoryBenchmark}, the same export calls without the kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KernelBenchmark {
    static final int ROUNDS = 10_000;

    private Sim sim;
    private TestClient driver;

    @Setup(Level.Iteration)
    public void newWorld() {
        sim = Sim.create(SimConfig.builder().echoLog(false).stepsMax(Long.MAX_VALUE / 2).build());
        PingPongSample.rounds(sim, 1);
        driver = sim.client("bench");
    }

    /** One operation is one kernel step. */
    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public long pingPongSteps() {
        SimFuture<RunReply> done = driver.call("bench.v1.Pinger", "Run",
                RunRequest.newBuilder().setRounds(ROUNDS).build(), RunReply.parser());
        return sim.await(done).getCompleted();
    }
}
