package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** What the fault-injection tests of the kernel share: running a world twice, and reading its faults. */
final class FaultWorlds {
    private FaultWorlds() {
    }

    static final GuestModule ECHO = Guests.load("echo");
    static final GuestModule MISUSE = Guests.load("misuse");
    static final GuestModule PROBE = Guests.load("wasi_probe");
    static final GuestModule HANDMADE = HandmadeGuest.module();

    /** The trace step kinds that only injected faults make. */
    static final Set<StepKind> FAULT_STEPS = EnumSet.of(StepKind.DROP, StepKind.DUPLICATE, StepKind.CRASH,
            StepKind.RESTART, StepKind.PAUSE, StepKind.RESUME, StepKind.PARTITION, StepKind.HEAL, StepKind.CLOG,
            StepKind.STORAGE);

    /** One run of a scenario: its world and what the scenario returned. */
    record Run<R>(Sim sim, R result) {
    }

    static SimConfig.Builder config(long seed, FaultProfile faults) {
        return Guests.config(seed).faults(faults);
    }

    /** Runs {@code scenario} in a fresh world; a world failure is part of the run. */
    static <R> Run<R> once(SimConfig config, Function<Sim, R> scenario) {
        Sim sim = Sim.create(config);
        R result = null;
        try {
            result = scenario.apply(sim);
        } catch (SimFailureException e) {
            // recorded in the world
        }
        return new Run<>(sim, result);
    }

    /**
     * Runs {@code scenario} twice under {@code config}: the same seed must give the same trace
     * hash, the same injected faults and the same result. Returns the first run.
     */
    static <R> Run<R> twice(SimConfig config, Function<Sim, R> scenario) {
        Run<R> first = once(config, scenario);
        Run<R> second = once(config, scenario);
        assertThat(Trace.firstDivergence(first.sim.trace(), second.sim.trace())).as("first divergent step").isEqualTo(-1);
        assertThat(second.sim.trace().hash()).as("trace hash of the second run").isEqualTo(first.sim.trace().hash());
        assertThat(second.sim.injectedFaults()).as("faults of the second run").isEqualTo(first.sim.injectedFaults());
        assertThat(second.result).as("result of the second run").isEqualTo(first.result);
        assertThat(second.sim.failure().map(SimFailure::reason)).isEqualTo(first.sim.failure().map(SimFailure::reason));
        return first;
    }

    static List<TraceStep> steps(Sim sim) {
        return sim.trace().last(Integer.MAX_VALUE);
    }

    static List<TraceStep> steps(Sim sim, StepKind kind) {
        return steps(sim).stream().filter(s -> s.kind() == kind).toList();
    }

    static List<InjectedFault> faults(Sim sim, InjectedFault.Kind kind) {
        return sim.injectedFaults().stream().filter(f -> f.kind() == kind).toList();
    }

    static StepKind stepKindOf(InjectedFault.Kind kind) {
        return switch (kind) {
            case DROP -> StepKind.DROP;
            case DUPLICATE -> StepKind.DUPLICATE;
            case CRASH -> StepKind.CRASH;
            case RESTART -> StepKind.RESTART;
            case PAUSE -> StepKind.PAUSE;
            case RESUME -> StepKind.RESUME;
            case PARTITION -> StepKind.PARTITION;
            case HEAL -> StepKind.HEAL;
            case CLOG -> StepKind.CLOG;
            case TORN_WRITE, LOST_WRITE, READ_ERROR, CORRUPTION -> StepKind.STORAGE;
        };
    }

    /**
     * Every injected fault is a step of the trace, in order, at its time, with its kind and its
     * detail as the step's label; and the trace has no fault step that is not an injected fault.
     */
    static void assertFaultsAreTraceSteps(Sim sim) {
        List<String> fromTrace = new ArrayList<>();
        for (TraceStep s : steps(sim)) {
            if (FAULT_STEPS.contains(s.kind())) {
                assertThat(s.source()).isEqualTo("kernel");
                fromTrace.add(s.timeNanos() + " " + s.kind() + " " + s.method());
            }
        }
        List<String> injected = new ArrayList<>();
        for (InjectedFault f : sim.injectedFaults()) {
            injected.add(f.timeNanos() + " " + stepKindOf(f.kind()) + " " + f.detail());
        }
        assertThat(fromTrace).isEqualTo(injected);
    }

    /**
     * Fails the world now (as a test's assertion after the run would) and checks that its report
     * carries the fault context: the profile, how many faults, the last of them, and BUGGIFY.
     */
    static SimFailure assertReported(Sim sim) {
        SimFailure failure = sim.recordFailure(new AssertionError("the scenario's check failed"));
        List<InjectedFault> injected = sim.injectedFaults().stream().filter(f -> !f.isCalm()).toList();
        List<String> context = failure.faultContext();
        if (sim.faultProfile() != FaultProfile.NONE) {
            assertThat(context).contains("faults: " + sim.faultProfile().describe());
        }
        if (!injected.isEmpty()) {
            int shown = Math.min(20, injected.size());
            String byKind = "";
            if (shown < injected.size()) {
                // Every kind counted, the rarest early fault included: the list shows the last ones only.
                java.util.Map<InjectedFault.Kind, Long> counts = new java.util.TreeMap<>(injected.stream()
                        .collect(java.util.stream.Collectors.groupingBy(InjectedFault::kind,
                                java.util.stream.Collectors.counting())));
                byKind = ": " + String.join(", ", counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).toList()) + ";";
            }
            assertThat(context).contains("faults injected (" + injected.size() + byKind
                    + (shown < injected.size() ? " last " + shown : "") + "):");
            for (InjectedFault f : injected.subList(injected.size() - shown, injected.size())) {
                assertThat(context).contains("  " + f);
            }
        }
        String text = failure.describe();
        for (String line : context) {
            assertThat(text).contains(line);
        }
        return failure;
    }

    static long i64(byte[] payload) {
        return Guests.i64(payload);
    }

    static byte[] i64Bytes(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    /** A Java stand-in for test.v1.Echo that answers after {@code delayNanos} of virtual time. */
    static JavaService slowEcho(long delayNanos) {
        return JavaService.builder("test.v1.Echo")
                .rawMethod("Echo", (bytes, call) -> call.context().schedule(java.time.Duration.ofNanos(delayNanos),
                        () -> call.reply(Status.OK, bytes)))
                .build();
    }
}
