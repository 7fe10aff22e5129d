package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.scheduler.Seed;

/**
 * Bank sample seeds in a direct loop (no engine), one at a time on the calling thread: what
 * {@link SeedRateCompare} runs for each build, in that build's own class loader.
 */
public final class SeedLoop {
    private final GuestModule teller = BankSample.fixedTeller();
    private long next;

    /** Runs {@code seeds} seeds with boot images on or off. */
    public void run(int seeds, boolean snapshots) {
        for (int i = 0; i < seeds; i++) {
            Sim sim = Sim.create(SimConfig.builder().seed(Seed.FIRST.plus(next++)).echoLog(false).snapshots(snapshots)
                    .build());
            BankSample.concurrentDeposits(sim, teller);
            sim.close(); // as the engine does: its instances serve the next seed's world
        }
    }
}
