package dev.parigot.sim.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.samples.BankSample;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** A sweep of the bank sample through the JUnit Platform launcher and the engine, as Surefire runs one. */
final class EngineSweep {
    private EngineSweep() {
    }

    /** The test the engine runs: the fixed Teller, so every seed passes and nothing is re-run. */
    public static final class BankSeeds {
        static final GuestModule TELLER = BankSample.fixedTeller();

        @ParigotSimTest(seeds = 1000)
        void moneyIsConserved(Sim sim) {
            BankSample.concurrentDeposits(sim, TELLER);
        }
    }

    private static Launcher ownLauncher;

    /**
     * {@link #nanos} on a launcher of this class's own class loader, made at the first call: what
     * {@link EngineRateCompare} calls in each build's loader (a build older than this class runs it
     * over its own engine, kernel and launcher).
     */
    public static long nanos(int seeds, Map<String, String> settings) throws IOException {
        if (ownLauncher == null) {
            ownLauncher = org.junit.platform.launcher.core.LauncherFactory.create();
        }
        return nanos(ownLauncher, seeds, settings);
    }

    /**
     * Runs {@code seeds} seeds of {@link BankSeeds} with the engine settings {@code settings}
     * (progress off, reports in a new temporary directory, stdout silenced); returns the
     * nanoseconds the launcher took. Throws if the run did not pass.
     */
    static long nanos(Launcher launcher, int seeds, Map<String, String> settings) throws IOException {
        Path dir = Files.createTempDirectory("parigot-sweep");
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(BankSeeds.class))
                .configurationParameter("parigot.seeds", Integer.toString(seeds))
                .configurationParameter("parigot.progress", "0")
                .configurationParameter("parigot.reports", dir.resolve("reports").toString())
                .configurationParameter("parigot.regressions", dir.resolve("none.txt").toString());
        settings.forEach(request::configurationParameter);
        LauncherDiscoveryRequest built = request.build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        long t0 = System.nanoTime();
        try {
            launcher.execute(built, summary);
        } finally {
            System.setOut(out);
        }
        long elapsed = System.nanoTime() - t0;
        if (summary.getSummary().getTotalFailureCount() != 0 || summary.getSummary().getTestsSucceededCount() != 1) {
            throw new IllegalStateException("the engine run did not pass: " + summary.getSummary().getFailures());
        }
        return elapsed;
    }
}
