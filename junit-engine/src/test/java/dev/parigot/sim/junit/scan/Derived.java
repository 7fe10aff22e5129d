package dev.parigot.sim.junit.scan;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

public class Derived extends AbstractBase {
    @ParigotSimTest(seeds = 1)
    void own(Sim sim) {
        sim.run();
    }
}
