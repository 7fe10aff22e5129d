package dev.parigot.sim.junit.scan;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

public class TwoMethods {
    @ParigotSimTest(seeds = 1)
    void second(Sim sim) {
        sim.run();
    }

    @ParigotSimTest(seeds = 1)
    void first(Sim sim) {
        sim.run();
    }

    void notASimTest() {
    }

    /** Nested and static: found by a package scan like any class. */
    public static class Nested {
        @ParigotSimTest(seeds = 1)
        void nested(Sim sim) {
            sim.run();
        }
    }
}
