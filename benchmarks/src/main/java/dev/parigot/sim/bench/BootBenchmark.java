package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.PingPongSample;
import dev.parigot.sim.scheduler.Seed;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * World boot: create a world, boot both nodes of the ping-pong sample, the dependency checks and
 * parigot_ready. Modules are compiled once (setup). {@code boot}: {@code reused}, from their boot
 * images with the instances of the world before (each world is closed after its boot, as the
 * engine closes a seed's world); {@code restored}, from their boot images in new instances (worlds
 * left open); {@code fresh}, instantiating them and running _initialize and parigot_start (images off).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BootBenchmark {
    private GuestModule ping;
    private GuestModule pong;
    private SimConfig config;
    private long seed;

    @Param({"reused", "restored", "fresh"})
    public String boot;

    @Setup
    public void compile() {
        ping = PingPongSample.ping();
        pong = PingPongSample.pong();
        config = SimConfig.builder().echoLog(false).snapshots(!boot.equals("fresh")).build();
    }

    @Benchmark
    public Sim bootTwoNodeWorld() {
        Sim sim = Sim.create(config.withSeed(Seed.of(seed++)));
        sim.add(pong).add(ping).boot();
        if (boot.equals("reused")) {
            sim.close();
        }
        return sim;
    }
}
