package dev.parigot.sim.reports.html;

import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.kernel.TraceStep;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One run as a reader follows it: who took part (one lane per node, the kernel first), every
 * kept step with its payload as text, the faults injected and the step each became, the log,
 * and how the run failed. Built from a finished {@link Sim} by {@link #of}; drawn by
 * {@link TimelineHtml}.
 *
 * @param title what ran, e.g. {@code BankTest.depositsAreNeverLost}
 * @param seed the seed's text form
 * @param strategy the scheduling strategy's name
 * @param replayCommand the command that replays this run, as the caller gives it ("" for none)
 * @param failure how the run failed, or null when it did not
 * @param stepsTotal how many steps the run took
 * @param stepsNotKept how many of the first steps the trace no longer holds (0 when all are kept)
 * @param payloadsKept whether the run kept payload bytes ({@code SimConfig.tracePayloads(true)})
 * @param lanes one per node in world order, the kernel first
 * @param steps the kept steps, in order
 * @param faults every fault injected, in order
 * @param logs the kept log lines, in order
 */
public record Timeline(
        String title,
        String seed,
        String strategy,
        String replayCommand,
        Failure failure,
        long stepsTotal,
        long stepsNotKept,
        boolean payloadsKept,
        List<Lane> lanes,
        List<Step> steps,
        List<Fault> faults,
        List<Log> logs) {

    /** The name of the kernel's lane: where faults and READY steps come from. */
    public static final String KERNEL = "kernel";

    private static final Set<StepKind> FAULT_KINDS = EnumSet.of(StepKind.DROP, StepKind.DUPLICATE, StepKind.CRASH,
            StepKind.RESTART, StepKind.PAUSE, StepKind.RESUME, StepKind.PARTITION, StepKind.HEAL, StepKind.CLOG,
            StepKind.STORAGE);

    /**
     * Checks and copies the parts.
     *
     * @throws IllegalArgumentException if {@code title}, {@code seed}, {@code strategy} or
     *     {@code replayCommand} is null, or {@code stepsNotKept} lies outside 0 to
     *     {@code stepsTotal}
     */
    public Timeline {
        require(title, "title");
        require(seed, "seed");
        require(strategy, "strategy");
        require(replayCommand, "replayCommand");
        lanes = List.copyOf(lanes);
        steps = List.copyOf(steps);
        faults = List.copyOf(faults);
        logs = List.copyOf(logs);
        if (stepsNotKept < 0 || stepsNotKept > stepsTotal) {
            throw new IllegalArgumentException("stepsNotKept " + stepsNotKept + " is outside 0.." + stepsTotal);
        }
    }

    /** A lane: a node (a guest, a Java service, a test client) or the kernel, and what it exports. */
    public record Lane(String node, List<String> services) {
        /**
         * Copies the services.
         *
         * @throws IllegalArgumentException if {@code node} is null
         */
        public Lane {
            require(node, "lane node");
            services = List.copyOf(services);
        }
    }

    /**
     * A step of the trace.
     *
     * @param id the call id (CALL, RESULT, DROP of a call) or timer id (TIMER); 0 for none
     * @param method {@code service/Method} for messages, "" for steps that carry none
     * @param detail what a fault step did (e.g. {@code e1}, {@code [a] <-/-> [b]}), "" otherwise
     * @param status the result's status name (RESULT only), "" otherwise
     * @param payloadType the message type the payload was read as, "" when not decoded
     * @param payload the payload as text (decoded, or a hex preview), "" for no payload
     */
    public record Step(long number, long timeNanos, StepKind kind, String source, String target, long id,
            String method, String detail, String status, int payloadBytes, String payloadType, String payload) {
        /**
         * Whether the step is an injected fault (a drop, duplicate, crash, restart, pause, resume,
         * partition, heal, clog or storage fault), drawn as a marker rather than an arrow.
         */
        public boolean isFault() {
            return FAULT_KINDS.contains(kind);
        }
    }

    /** A fault injected, and the step it became (0 when that step is no longer kept). */
    public record Fault(long timeNanos, InjectedFault.Kind kind, String detail, long step) {
    }

    /** A log line of a node (or of the kernel). */
    public record Log(long timeNanos, String node, LogLine.Level level, String text) {
    }

    /** How the run failed: at which step, where and why. */
    public record Failure(String kind, String reason, String node, long step, long timeNanos) {
        static Failure of(SimFailure f) {
            return new Failure(f.kind().name(), f.reason(), f.node() == null ? "" : f.node(), f.step(), f.timeNanos());
        }
    }

    /** How the run failed, if it did. */
    public Optional<Failure> failed() {
        return Optional.ofNullable(failure);
    }

    /** The timeline of a finished world, payloads shown as hex. */
    public static Timeline of(Sim sim, String title, String replayCommand) {
        return of(sim, title, replayCommand, PayloadDecoder.none());
    }

    /**
     * The timeline of a finished (or failed) world, read through its public API. Payloads are
     * decoded only when the world kept them ({@code SimConfig.tracePayloads(true)}); a trace
     * that kept only its last steps gives the kept ones, and {@link #stepsNotKept} says how many
     * came before.
     */
    public static Timeline of(Sim sim, String title, String replayCommand, PayloadDecoder decoder) {
        if (sim == null) {
            throw new IllegalArgumentException("no world (sim is null); pass the Sim whose run to draw");
        }
        if (decoder == null) {
            throw new IllegalArgumentException("no payload decoder (null); pass PayloadDecoder.none() for hex");
        }
        Trace trace = sim.trace();
        long total = trace.steps();
        long first = firstKept(trace);
        List<Step> steps = new ArrayList<>();
        List<Long> faultSteps = new ArrayList<>();
        for (long s = first; s <= total; s++) {
            Step step = step(trace, trace.step(s), decoder);
            steps.add(step);
            if (step.isFault()) {
                faultSteps.add(s);
            }
        }
        List<Lane> lanes = new ArrayList<>();
        lanes.add(new Lane(KERNEL, List.of()));
        for (String node : sim.nodes()) {
            if (!node.equals(KERNEL)) { // the kernel's own process (fault ticks) is the kernel's lane already
                lanes.add(new Lane(node, sim.exportsOf(node)));
            }
        }
        List<Log> logs = new ArrayList<>();
        for (LogLine line : sim.log()) {
            logs.add(new Log(line.timeNanos(), line.node(), line.level(), line.text()));
        }
        return new Timeline(title, sim.seed().toString(), sim.config().strategyName(), replayCommand,
                sim.failure().map(Failure::of).orElse(null), total, first - 1, trace.keepsPayloads(), lanes, steps,
                faults(sim.injectedFaults(), faultSteps), logs);
    }

    private static long firstKept(Trace trace) {
        long total = trace.steps();
        if (total == 0 || trace.retains(1)) {
            return 1;
        }
        long lo = 1; // not kept
        long hi = total; // kept
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (trace.retains(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static Step step(Trace trace, TraceStep t, PayloadDecoder decoder) {
        boolean fault = FAULT_KINDS.contains(t.kind());
        String status = t.kind() == StepKind.RESULT ? Status.of(t.status()).name() : "";
        String type = "";
        String text = "";
        if (t.payloadBytes() > 0 || t.kind() == StepKind.CALL || t.kind() == StepKind.RESULT) {
            Optional<byte[]> bytes = trace.payload(t.step());
            if (bytes.isPresent() || t.payloadBytes() == 0) {
                PayloadDecoder.Decoded d = decoder.decode(t.kind(), t.method(), t.status(), bytes.orElse(new byte[0]));
                type = d.type();
                text = d.text();
            } else {
                text = t.payloadBytes() + " bytes (not kept: run with SimConfig tracePayloads(true))";
            }
        }
        return new Step(t.step(), t.timeNanos(), t.kind(), t.source(), t.target(), t.id(), fault ? "" : t.method(),
                fault ? t.method() : "", status, t.payloadBytes(), type, text);
    }

    /** Each fault becomes one step, in order: the kept fault steps are the last injected faults. */
    private static List<Fault> faults(List<InjectedFault> injected, List<Long> keptSteps) {
        List<Fault> out = new ArrayList<>();
        int unkept = injected.size() - keptSteps.size();
        for (int i = 0; i < injected.size(); i++) {
            InjectedFault f = injected.get(i);
            long step = i >= unkept && i - unkept < keptSteps.size() ? keptSteps.get(i - unkept) : 0;
            out.add(new Fault(f.timeNanos(), f.kind(), f.detail(), step));
        }
        return out;
    }

    private static void require(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing (null); give \"\" for none");
        }
    }
}
