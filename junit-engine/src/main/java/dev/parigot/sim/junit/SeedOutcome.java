package dev.parigot.sim.junit;

import dev.parigot.sim.kernel.AssertionTally;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.Seed;
import java.util.List;

/** What one seed did: its failure (null if it passed), steps, virtual time, trace hash. */
record SeedOutcome(Seed seed, SimFailure failure, Throwable thrown, long steps, long timeNanos, long traceHash,
        List<AssertionTally.Entry> assertions, Trace trace, String determinismNote) {

    boolean passed() {
        return failure == null;
    }

    SeedOutcome withoutTrace() {
        return new SeedOutcome(seed, failure, thrown, steps, timeNanos, traceHash, assertions, null, determinismNote);
    }

    SeedOutcome withDeterminismNote(String note, SimFailure newFailure) {
        return new SeedOutcome(seed, newFailure, thrown, steps, timeNanos, traceHash, assertions, trace, note);
    }
}
