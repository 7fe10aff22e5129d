package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import dev.parigot.sim.scheduler.Strategy;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Everything that defines a world besides the test code: the seed, the source of its choices, the
 * strategy, the network model and the limits. Immutable; {@link #toBuilder()} derives variants (the next seed, say).
 * Every limit has a name with its unit and a documented default; hitting one is a reported
 * failure, never a hang.
 */
public final class SimConfig {
    /** Default steps per world before the world fails with a LIMIT failure. */
    public static final long STEPS_MAX_DEFAULT = 1_000_000L;
    /** Default virtual time per world: one hour. */
    public static final long VIRTUAL_TIME_NANOS_MAX_DEFAULT = Duration.ofHours(1).toNanos();
    /** Default payload limit: 4 MiB, gRPC's default maximum message size. */
    public static final int PAYLOAD_BYTES_LIMIT_DEFAULT = 4 << 20;
    /** Default memory maximum per node: 256 MiB. */
    public static final long MEMORY_BYTES_MAX_DEFAULT = 256L << 20;
    /** Default wall-clock time one handler may run before it counts as a hang. */
    public static final long HANDLER_WALL_MILLIS_MAX_DEFAULT = 5_000L;

    private final Seed seed;
    private final ChoiceSource choices;
    private final Supplier<Strategy> strategy;
    private volatile String strategyName; // asked for rarely (reports): computed on first use
    private final NetworkModel network;
    private final long stepsMax;
    private final long virtualTimeNanosMax;
    private final int payloadBytesLimit;
    private final long memoryBytesMax;
    private final long handlerWallMillisMax;
    private final int logLinesKept;
    private final int traceStepsKept;
    private final boolean tracePayloads;
    private final int failureStepsShown;
    private final int failureLogLinesShown;
    private final boolean echoLog;
    private final boolean snapshots;
    private final dev.parigot.sim.faults.FaultProfile faults;
    private final boolean swarm;
    private final java.util.Map<String, String> parameters;
    private final java.util.Map<String, String> expectedModules;
    private final DiskStore disks;

    private SimConfig(Builder b) {
        this.expectedModules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.expectedModules));
        this.parameters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(b.parameters));
        this.faults = b.faults;
        this.swarm = b.swarm;
        this.seed = b.seed;
        this.choices = b.choices;
        this.strategy = b.strategy;
        this.network = b.network;
        this.stepsMax = b.stepsMax;
        this.virtualTimeNanosMax = b.virtualTimeNanosMax;
        this.payloadBytesLimit = b.payloadBytesLimit;
        this.memoryBytesMax = b.memoryBytesMax;
        this.handlerWallMillisMax = b.handlerWallMillisMax;
        this.logLinesKept = b.logLinesKept;
        this.traceStepsKept = b.traceStepsKept;
        this.tracePayloads = b.tracePayloads;
        this.failureStepsShown = b.failureStepsShown;
        this.failureLogLinesShown = b.failureLogLinesShown;
        this.echoLog = b.echoLog;
        this.snapshots = b.snapshots;
        this.disks = b.disks;
    }

    /**
     * A builder holding every default: {@link Seed#FIRST}, seeded choices, the random walk
     * strategy, {@link NetworkModel#defaultModel()}, no faults, and the limits' {@code *_DEFAULT}
     * values.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults with this seed. */
    public static SimConfig of(Seed seed) {
        return builder().seed(seed).build();
    }

    /** A builder holding every setting of this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.choices = choices;
        b.strategy = strategy;
        b.network = network;
        b.stepsMax = stepsMax;
        b.virtualTimeNanosMax = virtualTimeNanosMax;
        b.payloadBytesLimit = payloadBytesLimit;
        b.memoryBytesMax = memoryBytesMax;
        b.handlerWallMillisMax = handlerWallMillisMax;
        b.logLinesKept = logLinesKept;
        b.traceStepsKept = traceStepsKept;
        b.tracePayloads = tracePayloads;
        b.failureStepsShown = failureStepsShown;
        b.failureLogLinesShown = failureLogLinesShown;
        b.echoLog = echoLog;
        b.snapshots = snapshots;
        b.disks = disks;
        b.faults = faults;
        b.swarm = swarm;
        b.parameters.putAll(parameters);
        b.expectedModules.putAll(expectedModules);
        return b;
    }

    /** The same configuration with another seed (every other setting shared, nothing copied: once per seed). */
    public SimConfig withSeed(Seed newSeed) {
        return new SimConfig(this, java.util.Objects.requireNonNull(newSeed, "seed"));
    }

    private SimConfig(SimConfig base, Seed seed) {
        this.expectedModules = base.expectedModules;
        this.parameters = base.parameters;
        this.faults = base.faults;
        this.swarm = base.swarm;
        this.seed = seed;
        this.choices = base.choices;
        this.strategy = base.strategy;
        this.strategyName = base.strategyName;
        this.network = base.network;
        this.stepsMax = base.stepsMax;
        this.virtualTimeNanosMax = base.virtualTimeNanosMax;
        this.payloadBytesLimit = base.payloadBytesLimit;
        this.memoryBytesMax = base.memoryBytesMax;
        this.handlerWallMillisMax = base.handlerWallMillisMax;
        this.logLinesKept = base.logLinesKept;
        this.traceStepsKept = base.traceStepsKept;
        this.tracePayloads = base.tracePayloads;
        this.failureStepsShown = base.failureStepsShown;
        this.failureLogLinesShown = base.failureLogLinesShown;
        this.echoLog = base.echoLog;
        this.snapshots = base.snapshots;
        this.disks = base.disks;
    }

    /** The seed the world's choices are drawn from (default {@link Seed#FIRST}). */
    public Seed seed() {
        return seed;
    }

    /**
     * Where the world's choices come from: by default its seed, unrecorded
     * ({@link ChoiceSource#seeded()}).
     */
    public ChoiceSource choices() {
        return choices;
    }

    /** A fresh strategy instance for one world. */
    public Strategy newStrategy() {
        return strategy.get();
    }

    /**
     * The strategy's name as reports print it (e.g. "random", "fifo", "pct:3"), asked of one
     * instance made on first use.
     */
    public String strategyName() {
        String name = strategyName;
        if (name == null) {
            name = strategy.get().name();
            strategyName = name;
        }
        return name;
    }

    /**
     * The network model messages travel through (default {@link NetworkModel#defaultModel()}:
     * reliable, one-way latency of 100 µs to 1 ms of virtual time). When the fault profile injects
     * network faults, those decide instead.
     */
    public NetworkModel network() {
        return network;
    }

    /**
     * Steps one world may take before it fails with {@link FailureKind#LIMIT} while events are
     * still pending (default {@link #STEPS_MAX_DEFAULT}).
     */
    public long stepsMax() {
        return stepsMax;
    }

    /**
     * Virtual time, in nanoseconds, a world may reach before it fails with
     * {@link FailureKind#LIMIT} while events are still pending (default
     * {@link #VIRTUAL_TIME_NANOS_MAX_DEFAULT}, one hour).
     */
    public long virtualTimeNanosMax() {
        return virtualTimeNanosMax;
    }

    /**
     * The largest payload, in bytes, of one call or reply, for guests and Java code alike (default
     * {@link #PAYLOAD_BYTES_LIMIT_DEFAULT}, 4 MiB).
     */
    public int payloadBytesLimit() {
        return payloadBytesLimit;
    }

    /**
     * The most linear memory, in bytes, one WASM node may hold: {@code memory.grow} past it returns
     * -1 (default {@link #MEMORY_BYTES_MAX_DEFAULT}, 256 MiB; a module's own declared maximum wins
     * if lower).
     */
    public long memoryBytesMax() {
        return memoryBytesMax;
    }

    /**
     * Wall-clock milliseconds one handler may run before the world fails as a
     * {@link FailureKind#HANG} (default {@link #HANDLER_WALL_MILLIS_MAX_DEFAULT}, 5 s). It covers
     * guests' handlers and Java services' and test clients' handlers (a request handler, a result
     * callback, a timer's action).
     */
    public long handlerWallMillisMax() {
        return handlerWallMillisMax;
    }

    /** How many of the latest log lines the world keeps in memory ({@link Sim#log()}; default 2,000). */
    public int logLinesKept() {
        return logLinesKept;
    }

    /**
     * How many of the latest steps the trace keeps the fields of (default 100,000); the trace hash
     * covers every step regardless.
     */
    public int traceStepsKept() {
        return traceStepsKept;
    }

    /** Whether the trace keeps the payload bytes of the steps it keeps ({@link Trace#payload}). */
    public boolean tracePayloads() {
        return tracePayloads;
    }

    /** How many of the last steps a failure report shows ({@link SimFailure#lastSteps()}; default 20). */
    public int failureStepsShown() {
        return failureStepsShown;
    }

    /** How many of the last log lines a failure report shows ({@link SimFailure#logTail()}; default 40). */
    public int failureLogLinesShown() {
        return failureLogLinesShown;
    }

    /**
     * Whether guest nodes boot from their module's boot image (on by default): after the first
     * node of a module has run {@code _initialize} and {@code parigot_start}, later nodes that
     * boot the same way (same module, node memory limit, and arguments and environment if the
     * boot read them) restore its memory, globals and tables copy-on-write instead of running
     * them again. Traces are the same either way; off, every node boots from scratch.
     */
    public boolean snapshots() {
        return snapshots;
    }

    /** Whether log lines also go to SLF4J (default true); they are always kept in memory. */
    public boolean echoLog() {
        return echoLog;
    }

    /**
     * Where the storage service keeps what is synced, for a world deployed against the real clock
     * (the runner's {@code --data DIR}); empty, the default and what every simulation uses, keeps
     * each disk in memory. See {@link DiskStore}.
     */
    public java.util.Optional<DiskStore> disks() {
        return java.util.Optional.ofNullable(disks);
    }

    /** The faults this world injects (with swarm on: the ceiling each seed picks a subset of). */
    public dev.parigot.sim.faults.FaultProfile faults() {
        return faults;
    }

    /** Whether each world picks its own subset and intensity of the faults (swarm testing). */
    public boolean swarm() {
        return swarm;
    }

    /**
     * The test's own parameters given to this world ({@link Sim#parameter} reads them), sorted by
     * name. A test engine fills them from its settings so that a replay runs with the same values.
     */
    public java.util.Map<String, String> parameters() {
        return parameters;
    }

    /**
     * The module digest each node is expected to run (node name to SHA-256 hex, or a prefix of
     * it): a replay of a recorded failure sets them, and the world says at boot, in one line,
     * which node runs other bytes than the failure did.
     */
    public java.util.Map<String, String> expectedModules() {
        return expectedModules;
    }

    /**
     * Builds a {@link SimConfig}; every setting starts at its default
     * ({@link SimConfig#builder()}). Setters refuse bad values at once with an
     * {@link IllegalArgumentException} naming the setting.
     */
    public static final class Builder {
        private Seed seed = Seed.FIRST;
        private ChoiceSource choices = ChoiceSource.seeded();
        private Supplier<Strategy> strategy = Strategies::randomWalk;
        private NetworkModel network = NetworkModel.defaultModel();
        private long stepsMax = STEPS_MAX_DEFAULT;
        private long virtualTimeNanosMax = VIRTUAL_TIME_NANOS_MAX_DEFAULT;
        private int payloadBytesLimit = PAYLOAD_BYTES_LIMIT_DEFAULT;
        private long memoryBytesMax = MEMORY_BYTES_MAX_DEFAULT;
        private long handlerWallMillisMax = HANDLER_WALL_MILLIS_MAX_DEFAULT;
        private int logLinesKept = 2_000;
        private int traceStepsKept = 100_000;
        private boolean tracePayloads;
        private int failureStepsShown = 20;
        private int failureLogLinesShown = 40;
        private boolean echoLog = true;
        private boolean snapshots = true;
        private DiskStore disks;
        private dev.parigot.sim.faults.FaultProfile faults = dev.parigot.sim.faults.FaultProfile.NONE;
        private boolean swarm;
        private final java.util.Map<String, String> parameters = new java.util.TreeMap<>();
        private final java.util.Map<String, String> expectedModules = new java.util.LinkedHashMap<>();

        /** The module digest (SHA-256 hex, or a prefix of at least 8 digits) node {@code node} is expected to run. */
        public Builder expectModule(String node, String digest) {
            if (digest == null || digest.length() < 8 || !digest.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("the expected module digest of node '" + node + "' must be at"
                        + " least 8 hex digits of its SHA-256, got '" + digest + "'");
            }
            this.expectedModules.put(require(node, "node"), digest.toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        private Builder() {
        }

        /**
         * A value for the test's own parameter {@code name}, read by {@link Sim#parameter}; it wins
         * over a system property of the same name.
         */
        public Builder parameter(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a parameter needs a name, got " + (name == null ? "null" : "'"
                        + name + "'"));
            }
            this.parameters.put(name, require(value, "the value of parameter '" + name + "'"));
            return this;
        }

        /** The faults to inject (FaultProfile.NONE by default; FaultProfile.defaults() for the default mix). */
        public Builder faults(dev.parigot.sim.faults.FaultProfile value) {
            this.faults = require(value, "faults");
            return this;
        }

        /** Swarm testing: each world draws its own subset and intensity of {@link #faults}. */
        public Builder swarm(boolean value) {
            this.swarm = value;
            return this;
        }

        /**
         * The seed the world's choices are drawn from (default {@link Seed#FIRST}).
         *
         * @throws IllegalArgumentException if {@code value} is null
         */
        public Builder seed(Seed value) {
            this.seed = require(value, "seed");
            return this;
        }

        /** The seed {@link Seed#of(long) Seed.of(value)}. */
        public Builder seed(long value) {
            return seed(Seed.of(value));
        }

        /**
         * Where the world's choices come from ({@link ChoiceSource#seeded()} by default), whatever
         * the strategy: {@link ChoiceSource#replay} replays a recorded run, and a source made
         * {@link ChoiceSource#recorded()} keeps every choice for {@link Sim#choiceRecording()}.
         */
        public Builder choices(ChoiceSource value) {
            this.choices = require(value, "choices");
            return this;
        }

        /**
         * Replays {@code recording} instead of drawing from the seed (recorded or not as set so
         * far): with the same modules, test code and configuration, the recorded run again.
         */
        public Builder replayChoices(ChoiceRecording recording) {
            return choices(ChoiceSource.replay(require(recording, "recording")).recorded(choices.records()));
        }

        /**
         * Whether the world keeps every choice it draws, for {@link Sim#choiceRecording()} (off by
         * default: a world replays from its seed, and a long run must not grow).
         */
        public Builder recordChoices(boolean value) {
            this.choices = choices.recorded(value);
            return this;
        }

        /** A strategy factory: it is called once per world (strategies keep per-world state). */
        public Builder strategy(Supplier<Strategy> value) {
            this.strategy = require(value, "strategy");
            return this;
        }

        /** A built-in strategy by name ("fifo", "random"). */
        public Builder strategy(String name) {
            Strategies.named(name);
            this.strategy = () -> Strategies.named(name);
            return this;
        }

        /**
         * The network model messages travel through (default {@link NetworkModel#defaultModel()}).
         * When the fault profile injects network faults, those decide instead (the profile's
         * latency included); the test's own partitions and clogs apply on top of this model.
         *
         * @throws IllegalArgumentException if {@code value} is null
         */
        public Builder network(NetworkModel value) {
            this.network = require(value, "network");
            return this;
        }

        /**
         * Steps one world may take (default {@link SimConfig#STEPS_MAX_DEFAULT}): a world that
         * reaches it with events still pending fails with {@link FailureKind#LIMIT}, a livelock or
         * a limit set too low.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder stepsMax(long value) {
            this.stepsMax = positive(value, "stepsMax");
            return this;
        }

        /**
         * Virtual time one world may reach (default one hour,
         * {@link SimConfig#VIRTUAL_TIME_NANOS_MAX_DEFAULT} nanoseconds): a step past it fails the
         * world with {@link FailureKind#LIMIT}; {@link Sim#runFor} stops at it. Kept in nanoseconds
         * ({@link SimConfig#virtualTimeNanosMax()}).
         *
         * @throws IllegalArgumentException if {@code value} is zero or negative
         */
        public Builder virtualTimeMax(Duration value) {
            this.virtualTimeNanosMax = positive(value.toNanos(), "virtualTimeMax");
            return this;
        }

        /**
         * The largest payload, in bytes, of one call or reply (default
         * {@link SimConfig#PAYLOAD_BYTES_LIMIT_DEFAULT}, 4 MiB). A guest that sends more fails the
         * world with {@link FailureKind#GUEST_FAULT}; a Java service's or test client's call over
         * it completes with {@link Status#RESOURCE_EXHAUSTED}, and a Java reply over it throws
         * {@link IllegalArgumentException}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder payloadBytesLimit(int value) {
            this.payloadBytesLimit = (int) positive(value, "payloadBytesLimit");
            return this;
        }

        /**
         * The most linear memory, in bytes, one WASM node may hold (default
         * {@link SimConfig#MEMORY_BYTES_MAX_DEFAULT}, 256 MiB): {@code memory.grow} past it returns
         * -1 to the guest. A module's own declared maximum wins if lower.
         *
         * @throws IllegalArgumentException if {@code value} is less than one WASM page (65,536
         *     bytes)
         */
        public Builder memoryBytesMax(long value) {
            if (value < 65536) {
                throw new IllegalArgumentException("memoryBytesMax must be at least one WASM page (65536 bytes), got "
                        + value);
            }
            this.memoryBytesMax = value;
            return this;
        }

        /**
         * Wall-clock milliseconds one handler may run (default
         * {@link SimConfig#HANDLER_WALL_MILLIS_MAX_DEFAULT}, 5 s) before the world fails as a
         * {@link FailureKind#HANG}. It covers guests' handlers and Java services' and test clients'
         * handlers (a request handler, a result callback, a timer's action): a blocking one is
         * interrupted, and one deaf to the interrupt fails the world when it returns. Real time,
         * not virtual: nothing it measures feeds the simulation.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder handlerWallMillisMax(long value) {
            this.handlerWallMillisMax = positive(value, "handlerWallMillisMax");
            return this;
        }

        /**
         * How many of the latest log lines to keep in memory (default 2,000; 0 keeps none).
         *
         * @throws IllegalArgumentException if {@code value} is negative
         */
        public Builder logLinesKept(int value) {
            this.logLinesKept = (int) nonNegative(value, "logLinesKept");
            return this;
        }

        /**
         * How many of the latest steps the trace keeps the fields of (default 100,000); the trace
         * hash covers every step regardless.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder traceStepsKept(int value) {
            this.traceStepsKept = (int) positive(value, "traceStepsKept");
            return this;
        }

        /**
         * Keep the payload bytes of every kept step, so that a report can decode what each call
         * and result carried ({@link Trace#payload}). Off by default: a seed then holds only each
         * payload's size and hash. Changes no trace hash.
         */
        public Builder tracePayloads(boolean value) {
            this.tracePayloads = value;
            return this;
        }

        /**
         * How many of the last steps a failure report shows (default 20; 0 shows none).
         *
         * @throws IllegalArgumentException if {@code value} is negative
         */
        public Builder failureStepsShown(int value) {
            this.failureStepsShown = (int) nonNegative(value, "failureStepsShown");
            return this;
        }

        /**
         * How many of the last log lines a failure report shows (default 40; 0 shows none).
         *
         * @throws IllegalArgumentException if {@code value} is negative
         */
        public Builder failureLogLinesShown(int value) {
            this.failureLogLinesShown = (int) nonNegative(value, "failureLogLinesShown");
            return this;
        }

        /** Boot guest nodes from boot images (default true); see {@link SimConfig#snapshots()}. */
        public Builder snapshots(boolean value) {
            this.snapshots = value;
            return this;
        }

        /**
         * Keep the storage service's synced data in {@code value} (null: in memory, the default).
         * For worlds that run against the real clock; see {@link DiskStore}.
         */
        public Builder disks(DiskStore value) {
            this.disks = value;
            return this;
        }

        /** Whether log lines also go to SLF4J (they are always kept in memory). */
        public Builder echoLog(boolean value) {
            this.echoLog = value;
            return this;
        }

        /** The configuration, immutable; the builder may go on to build others. */
        public SimConfig build() {
            return new SimConfig(this);
        }

        private static <T> T require(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static long nonNegative(long value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }
    }
}
