/**
 * Where a world's choices come from and how a strategy picks among what may run next: seeds,
 * choice streams and their recordings, and the scheduling strategies. The generator behind a
 * seeded stream ({@code dev.parigot.sim.scheduler.internal.Prng}) is for the kernel only.
 */
module dev.parigot.sim.scheduler {
    exports dev.parigot.sim.scheduler;
    exports dev.parigot.sim.scheduler.internal to dev.parigot.sim.kernel;
}
