/**
 * What can go wrong in a simulated world, and how often: the fault profile and its parts
 * (network, process, clock, storage, crash points), the network model a world's messages travel
 * through, and the faults a run injected. The machinery that draws and applies faults is in
 * {@code dev.parigot.sim.faults.internal}, for the kernel only.
 */
module dev.parigot.sim.faults {
    requires transitive dev.parigot.sim.scheduler;

    exports dev.parigot.sim.faults;
    exports dev.parigot.sim.faults.internal to dev.parigot.sim.kernel;
}
