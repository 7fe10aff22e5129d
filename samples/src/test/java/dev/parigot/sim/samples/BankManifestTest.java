package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.manifest.Manifest;
import dev.parigot.sim.samples.bank.v1.BalanceReply;
import dev.parigot.sim.samples.bank.v1.BalanceRequest;
import dev.parigot.sim.samples.bank.v1.DepositReply;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bank world described by its deployment manifest is the bank world built by hand, step for step. */
class BankManifestTest {
    /** Read, checked and its modules loaded once, for every seed below. */
    static final Manifest BANK = Manifest.load(Path.of("src/main/resources/guests/bank.yaml"));
    static final SimConfig BASE = SimConfig.builder().echoLog(false).build();

    @Test
    void theManifestDescribesTheLedgerAndTheBuggyTellerEachInItsOwnUnit() {
        assertThat(BANK.nodes()).extracting(Manifest.Node::name).containsExactly("ledger", "teller");
        assertThat(BANK.node("teller").module().digest()).isEqualTo(BankSample.buggyTeller().digest());
        assertThat(BANK.units()).extracting(Manifest.Unit::name).containsExactly("ledger", "teller");
    }

    @Test
    void everySeedRunsWithTheSameTraceHashAsTheWorldBuiltByHand() {
        int failing = 0;
        for (int i = 0; i < 50; i++) {
            Seed seed = Seed.FIRST.plus(i);
            Sim byHand = DeterminismCheck.runOnce(BASE.withSeed(seed),
                    w -> BankSample.concurrentDeposits(w, BankSample.buggyTeller()));
            Sim fromManifest = DeterminismCheck.runOnce(BASE.withSeed(seed), BankManifestTest::concurrentDeposits);

            assertThat(fromManifest.trace().hashText()).as("trace hash of seed %s", seed)
                    .isEqualTo(byHand.trace().hashText());
            assertThat(fromManifest.failure().map(f -> f.reason())).as("failure of seed %s", seed)
                    .isEqualTo(byHand.failure().map(f -> f.reason()));
            failing += byHand.failure().isPresent() ? 1 : 0;
        }
        assertThat(failing).as("seeds that lose a deposit, in both worlds").isPositive();
    }

    /** BankSample.concurrentDeposits line for line, except that the world comes from the manifest. */
    static void concurrentDeposits(Sim sim) {
        BANK.addTo(sim);
        TestClient alice = sim.client("alice");
        TestClient bob = sim.client("bob");
        TestClient auditor = sim.client("auditor");
        SimFuture<DepositReply> fromAlice = alice.call(BankSample.TELLER, "Deposit", BankSample.deposit(10),
                DepositReply.parser());
        SimFuture<DepositReply> fromBob = bob.call(BankSample.TELLER, "Deposit", BankSample.deposit(20),
                DepositReply.parser());
        sim.runUntil(() -> fromAlice.isDone() && fromBob.isDone());
        sim.verify("both deposits are acknowledged", () -> {
            fromAlice.get();
            fromBob.get();
        });
        long balance = sim.await(auditor.call(BankSample.TELLER, "Balance",
                BalanceRequest.newBuilder().setAccount(BankSample.ACCOUNT).build(), BalanceReply.parser()))
                .getBalance();
        sim.verify("money is conserved", () -> {
            if (balance != 30) {
                throw new AssertionError("balance of " + BankSample.ACCOUNT + " is " + balance
                        + " after deposits of 10 and 20 were both acknowledged (expected 30)");
            }
        });
        sim.run();
    }
}
