package dev.parigot.sim.kernel;

import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.Seed;
import java.util.Objects;

/**
 * One world run to a step boundary, and as many continuations of it as a test or a search
 * wants: the same prefix, then other choices (other interleavings, latencies, faults) or other
 * test actions. Each fork is a world of its own, independent of the trunk and of every other
 * fork, and deterministic: the same continuation seed and code give the same trace.
 *
 * <pre>{@code
 * Multiverse<SimFuture<DepositReply>> m = Multiverse.of(config, sim -> {
 *     sim.use(catalog, "bank.v1.Teller");                       // build the world...
 *     SimFuture<DepositReply> reply = sim.client("alice").call(...);
 *     sim.runUntil(() -> sim.steps() >= 6);                     // ...run it to the fork point
 *     return reply;                                             // what continuations need
 * });
 * for (int i = 0; i < 100; i++) {
 *     Sim fork = m.fork(Seed.of(i));                            // 100 continuations of one prefix
 *     fork.failure().ifPresent(f -> ...);
 * }
 * Sim crashed = m.fork(Seed.of(7), (sim, reply) -> { sim.crash("ledger"); sim.run(); });
 * }</pre>
 *
 * <p>A fork is made by re-running the prefix in a new world under the trunk's recorded choices
 * (with boot images, a boot costs a few microseconds), then handing the world to the
 * continuation with choices drawn from its own seed. Re-running rather than copying memory means
 * Java services and test code come along exactly, whatever state they keep, as long as the
 * prefix builds it inside the world (not in static fields). The kernel checks every fork: at the
 * fork point its steps and trace hash must equal the trunk's, else the prefix did not replay
 * (it read something outside the world) and {@link #fork} says so instead of returning a world
 * that only looks like a continuation. Cost: one prefix per fork, about what the prefix took the
 * first time (docs/benchmarks.md).
 */
public final class Multiverse<T> {
    /**
     * Builds a world and runs it to the fork point; returns what continuations need of it (the
     * futures, clients or values it made), or null. Runs once for the trunk and once per fork.
     */
    @FunctionalInterface
    public interface Prefix<T> {
        /** Builds {@code sim}, runs it to the fork point and returns what continuations need, or null. */
        T run(Sim sim) throws Exception;
    }

    /** Runs a fork on from the fork point, with what its own run of the prefix returned. */
    @FunctionalInterface
    public interface Continuation<T> {
        /**
         * Runs {@code sim} on from the fork point; {@code fromPrefix} is what this fork's run of
         * the prefix returned.
         */
        void run(Sim sim, T fromPrefix) throws Exception;
    }

    private final SimConfig config;
    private final Prefix<T> prefix;
    private final Sim trunk;
    private final T trunkValue;
    private final ChoiceRecording prefixChoices;
    private final long forkStep;
    private final long forkHash;

    private Multiverse(SimConfig config, Prefix<T> prefix) {
        this.config = config;
        this.prefix = prefix;
        this.trunk = Sim.create(config.toBuilder().choices(config.choices().recorded()).build());
        this.trunkValue = runPrefix(trunk);
        this.prefixChoices = trunk.choiceRecording();
        this.forkStep = trunk.steps();
        this.forkHash = trunk.trace().hash();
    }

    /**
     * Runs {@code prefix} in a new world configured by {@code config}: that world is the trunk,
     * stopped where the prefix returned (a step boundary: after {@code runFor}, {@code runUntil},
     * {@code await} or {@code boot}). A prefix that fails its world is allowed; its forks fail too.
     */
    public static <T> Multiverse<T> of(SimConfig config, Prefix<T> prefix) {
        return new Multiverse<>(Objects.requireNonNull(config, "config"), Objects.requireNonNull(prefix, "prefix"));
    }

    private T runPrefix(Sim world) {
        return DeterminismCheck.inWorld("the prefix", () -> prefix.run(world));
    }

    /** The world the prefix ran in, stopped at the fork point; a test may run it on. */
    public Sim trunk() {
        return trunk;
    }

    /** What the prefix returned in the trunk. */
    public T trunkValue() {
        return trunkValue;
    }

    /** Steps at the fork point: every fork's first {@code forkStep()} steps are the trunk's. */
    public long forkStep() {
        return forkStep;
    }

    /** The trunk's trace hash at the fork point. */
    public long forkHash() {
        return forkHash;
    }

    /** Choices the prefix drew: what each fork replays before it draws its own. */
    public ChoiceRecording prefixChoices() {
        return prefixChoices;
    }

    /**
     * A new world that ran the prefix exactly as the trunk did and then {@code continuation}, its
     * choices from the fork point on drawn from {@code continuationSeed}. A failure of the world is
     * part of the run (see {@link Sim#failure()}), not an exception here.
     *
     * @throws IllegalStateException if the prefix did not replay to the same fork point
     */
    public Sim fork(Seed continuationSeed, Continuation<T> continuation) {
        Objects.requireNonNull(continuationSeed, "continuationSeed");
        Objects.requireNonNull(continuation, "continuation");
        SimConfig forked = config.toBuilder().choices(ChoiceSource.fork(prefixChoices, continuationSeed)).build();
        Sim world = Sim.create(forked);
        T value = runPrefix(world);
        if (world.steps() != forkStep || world.trace().hash() != forkHash || world.choicesDiverged().isPresent()
                || world.kernel().choices.position() != prefixChoices.size()) {
            world.close();
            throw new IllegalStateException(String.format("the prefix did not replay to the fork point: the trunk"
                    + " stopped after %,d steps with trace hash %016x and %,d choices, the fork after %,d steps with"
                    + " trace hash %016x and %,d choices%s. The prefix must build and run the world from its"
                    + " arguments alone (no static state, wall clock or outside randomness)", forkStep, forkHash,
                    prefixChoices.size(), world.steps(), world.trace().hash(), world.kernel().choices.position(),
                    world.choicesDiverged().map(d -> "; " + d).orElse("")));
        }
        if (world.failure().isPresent()) {
            return world; // the prefix failed the world, as it did the trunk: nothing continues
        }
        DeterminismCheck.inWorld("the continuation", () -> {
            continuation.run(world, value);
            return null;
        });
        return world;
    }

    /** A fork whose continuation runs the world until nothing is left to do. */
    public Sim fork(Seed continuationSeed) {
        return fork(continuationSeed, (sim, value) -> sim.run());
    }
}
