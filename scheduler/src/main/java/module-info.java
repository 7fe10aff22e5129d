/**
 * Where a world's choices come from and how a strategy picks among what may run next: seeds,
 * choice streams and their recordings, and the scheduling strategies.
 */
module dev.parigot.sim.scheduler {
    exports dev.parigot.sim.scheduler;
}
