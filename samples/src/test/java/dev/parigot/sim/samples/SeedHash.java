package dev.parigot.sim.samples;

import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.scheduler.Seed;

/** Prints "steps hash" of the buggy bank scenario for a seed: run in a second JVM by the determinism test. */
public final class SeedHash {
    private SeedHash() {
    }

    static Sim run(Seed seed) {
        return DeterminismCheck.runOnce(SimConfig.builder().echoLog(false).seed(seed).build(),
                w -> BankSample.concurrentDeposits(w, BankSample.buggyTeller()));
    }

    public static void main(String[] args) {
        for (String arg : args) {
            Sim sim = run(Seed.parse(arg));
            System.out.println(arg + " " + sim.steps() + " " + sim.trace().hashText());
        }
    }
}
