package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.TraceStep;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bank sample's lost-update bug: found by some seeds, replayed exactly, gone once fixed. */
class BankSimTest {
    static final SimConfig BASE = SimConfig.builder().echoLog(false).build();
    static final List<Seed> failing = new ArrayList<>();
    static final List<Seed> passing = new ArrayList<>();

    @BeforeAll
    static void sweepTheBuggyTeller() {
        for (int i = 0; i < 100; i++) {
            Seed seed = Seed.FIRST.plus(i);
            Sim sim = DeterminismCheck.runOnce(BASE.withSeed(seed),
                    w -> BankSample.concurrentDeposits(w, BankSample.buggyTeller()));
            (sim.failure().isPresent() ? failing : passing).add(seed);
        }
    }

    @Test
    void onlySomeInterleavingsExposeTheLostUpdate() {
        assertThat(failing).as("seeds that lose a deposit").isNotEmpty();
        assertThat(passing).as("seeds whose interleaving is harmless").isNotEmpty();
    }

    @Test
    void aFailingSeedFailsIdenticallyOnEveryRerun() {
        Seed seed = failing.get(0);
        SimFailure first = failureOf(seed);
        for (int i = 0; i < 3; i++) {
            SimFailure again = failureOf(seed);
            assertThat(again.reason()).isEqualTo(first.reason());
            assertThat(again.traceHash()).isEqualTo(first.traceHash());
            assertThat(again.step()).isEqualTo(first.step());
            assertThat(again.timeNanos()).isEqualTo(first.timeNanos());
            assertThat(again.lastSteps()).isEqualTo(first.lastSteps());
        }
    }

    @Test
    void theFailureNamesTheSeedAndShowsTheInterleavingThatLostTheDeposit() {
        Seed seed = failing.get(0);
        Sim sim = Sim.create(BASE.withSeed(seed));
        assertThatThrownBy(() -> BankSample.concurrentDeposits(sim, BankSample.buggyTeller()))
                .isInstanceOf(SimFailureException.class)
                .hasMessageContaining("seed " + seed + " failed after")
                .hasMessageContaining("\"money is conserved\" does not hold")
                .hasMessageContaining("expected 30");
        SimFailure failure = sim.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.ASSERTION);
        System.out.println(failure.describe());
        // The lost update: both Gets are answered before either Put reaches the ledger.
        List<String> ledgerCalls = new ArrayList<>();
        for (TraceStep step : failure.lastSteps()) {
            if (step.kind() == StepKind.CALL && step.target().equals("ledger")) {
                ledgerCalls.add(step.method());
            }
        }
        assertThat(ledgerCalls).startsWith("bank.v1.Ledger/Get", "bank.v1.Ledger/Get", "bank.v1.Ledger/Put",
                "bank.v1.Ledger/Put");
        assertThat(failure.logTail()).anyMatch(line -> line.node().equals("ledger") && line.text().startsWith("Put"));
    }

    @Test
    void aPassingSeedOfTheBuggyTellerSerialisesTheDeposits() {
        Sim sim = Sim.create(BASE.withSeed(passing.get(0)));
        BankSample.concurrentDeposits(sim, BankSample.buggyTeller());
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void fifoSchedulingAlsoLosesTheUpdateBecauseBothGetsGoOutFirst() {
        Sim sim = Sim.create(BASE.toBuilder().strategy(Strategies::fifo).build());
        assertThatThrownBy(() -> BankSample.concurrentDeposits(sim, BankSample.buggyTeller()))
                .hasMessageContaining("money is conserved");
    }

    @Test
    void theFixedTellerPassesOneThousandSeeds() {
        int failures = 0;
        long steps = 0;
        for (int i = 0; i < 1000; i++) {
            Sim sim = DeterminismCheck.runOnce(BASE.withSeed(Seed.FIRST.plus(i)),
                    w -> BankSample.concurrentDeposits(w, BankSample.fixedTeller()));
            steps += sim.steps();
            if (sim.failure().isPresent()) {
                failures++;
                System.out.println(sim.failure().get().describe());
            }
        }
        assertThat(failures).isZero();
        assertThat(steps).isGreaterThanOrEqualTo(1000L * 10);
    }

    private static SimFailure failureOf(Seed seed) {
        Sim sim = DeterminismCheck.runOnce(BASE.withSeed(seed),
                w -> BankSample.concurrentDeposits(w, BankSample.buggyTeller()));
        return sim.failure().orElseThrow(() -> new AssertionError("seed " + seed + " passed on rerun"));
    }
}
