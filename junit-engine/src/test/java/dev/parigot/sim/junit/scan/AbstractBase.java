package dev.parigot.sim.junit.scan;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

/** Abstract: never a test class of its own, but its methods run in every subclass. */
public abstract class AbstractBase {
    @ParigotSimTest(seeds = 1)
    void inherited(Sim sim) {
        sim.run();
    }
}
