package dev.parigot.sim.kernel;

/** What one step of a world did. */
public enum StepKind {
    /** {@code parigot_ready} of a node (boot, in dependency order). */
    READY,
    /** A call delivered to its target. */
    CALL,
    /** A result delivered to the caller. */
    RESULT,
    /** A timer fired. */
    TIMER,
    /** A message reached a node that is no longer running and was discarded. */
    DISCARD
}
