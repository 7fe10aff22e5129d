package dev.parigot.sim.reports;

/**
 * What shrinking a failing seed gave: its run replayed from smaller and simpler recordings of
 * its choices until none smaller failed the same way (same failure kind, same reason up to its
 * first colon with numbers masked), within a time budget.
 *
 * @param stepsBefore the steps of the failing run as the seed made it
 * @param faultsBefore the faults injected in it
 * @param choicesBefore the choices its world drew
 * @param steps the steps of the shrunk run
 * @param faults the faults injected in the shrunk run
 * @param choices the choices the shrunk run's recording holds (trailing zeros trimmed)
 * @param attempts the replays shrinking made, the original's included
 * @param millis the wall-clock time shrinking took
 * @param stop why shrinking stopped: {@code MINIMAL} (no single step shrinks it further),
 *     {@code TIME_BUDGET}, {@code ATTEMPT_BUDGET}, or {@code NOT_REPRODUCED} (the recorded run did not
 *     fail the same way when replayed; nothing was shrunk)
 * @param reason the shrunk run's failure sentence
 * @param traceHash the shrunk run's trace hash, 16 hex digits
 * @param choicesFile the file holding the shrunk run's choices; null when nothing was shrunk
 * @param replay the Maven command that replays the shrunk run from that file, from the repository root
 * @param traceFile the file holding the shrunk run's full trace and log; null when it was not written
 */
public record ShrinkReport(
        long stepsBefore,
        int faultsBefore,
        int choicesBefore,
        long steps,
        int faults,
        int choices,
        long attempts,
        long millis,
        String stop,
        String reason,
        String traceHash,
        String choicesFile,
        String replay,
        String traceFile) {
}
