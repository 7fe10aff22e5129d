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
    /** A message reached a node that is no longer running (or restarted since) and was discarded. */
    DISCARD,
    /** The network lost a message (a drop or a partition). */
    DROP,
    /** The network delivers a message twice. */
    DUPLICATE,
    /** A node crashed: its memory is gone, its timers cancelled, its callers left waiting. */
    CRASH,
    /** A crashed node starts again as a fresh instance. */
    RESTART,
    /** A node stopped running anything; events for it wait. */
    PAUSE,
    /** A paused node runs again. */
    RESUME,
    /** The network split: messages between the sides are lost. */
    PARTITION,
    /** Every partition healed. */
    HEAL,
    /** A node's traffic is held back for a while. */
    CLOG,
    /** Storage lost, tore, failed or corrupted something. */
    STORAGE
}
