package dev.parigot.sim.junit.internal;

import dev.parigot.sim.kernel.AssertionTally;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import java.util.List;

/**
 * What one seed did: its failure (null if it passed), steps, virtual time, trace hash; while it
 * is being checked, its trace and log; the line a replay against changed modules logged, if
 * any; where its full trace and log were written, if they were; what its world's WASM nodes
 * could take from the heap; and, while a failing seed's run that kept every step and payload is
 * turned into its report, that run's world.
 */
record SeedOutcome(Seed seed, SimFailure failure, Throwable thrown, long steps, long timeNanos, long traceHash,
        List<AssertionTally.Entry> assertions, Trace trace, List<TraceFile.LogEntry> log, String determinismNote,
        String modulesChanged, Path traceFile, WorldMemory memory, Sim sim) {

    boolean passed() {
        return failure == null;
    }

    SeedOutcome withoutTrace() {
        return new SeedOutcome(seed, failure, thrown, steps, timeNanos, traceHash, assertions, null, null,
                determinismNote, modulesChanged, traceFile, memory, null);
    }

    SeedOutcome withDeterminismNote(String note, SimFailure newFailure) {
        return new SeedOutcome(seed, newFailure, thrown, steps, timeNanos, traceHash, assertions, trace, log, note,
                modulesChanged, traceFile, memory, sim);
    }

    /** The same outcome with the trace, log and world of another run of the seed (a re-run that kept every step). */
    SeedOutcome withRecording(Trace fullTrace, List<TraceFile.LogEntry> fullLog, Sim fullSim) {
        return new SeedOutcome(seed, failure, thrown, steps, timeNanos, traceHash, assertions, fullTrace, fullLog,
                determinismNote, modulesChanged, traceFile, memory, fullSim);
    }

    SeedOutcome withTraceFile(Path file) {
        return new SeedOutcome(seed, failure, thrown, steps, timeNanos, traceHash, assertions, trace, log,
                determinismNote, modulesChanged, file, memory, sim);
    }
}
