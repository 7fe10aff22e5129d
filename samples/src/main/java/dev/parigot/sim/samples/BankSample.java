package dev.parigot.sim.samples;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ServiceCatalog;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.bank.v1.BalanceReply;
import dev.parigot.sim.samples.bank.v1.BalanceRequest;
import dev.parigot.sim.samples.bank.v1.DepositReply;
import dev.parigot.sim.samples.bank.v1.DepositRequest;

/**
 * The bank sample: a Teller (C, WASM) in front of a Ledger (C, WASM). The buggy Teller's Deposit
 * reads the balance with Ledger.Get and writes balance + amount with Ledger.Put two events later;
 * when two deposits interleave Get, Get, Put, Put, one is lost. Whether they do depends on the
 * order in which the network delivers their messages, which the seed decides.
 */
public final class BankSample {
    public static final String TELLER = "bank.v1.Teller";
    public static final String ACCOUNT = "acct-17";

    private BankSample() {
    }

    public static GuestModule ledger() {
        return GuestModule.fromResource(BankSample.class, "/guests/ledger.wasm");
    }

    /** The Teller with the read-modify-write bug. */
    public static GuestModule buggyTeller() {
        return GuestModule.fromResource(BankSample.class, "/guests/teller.wasm").named("teller");
    }

    /** The Teller that deposits with the Ledger's atomic Add. */
    public static GuestModule fixedTeller() {
        return GuestModule.fromResource(BankSample.class, "/guests/teller_fixed.wasm").named("teller");
    }

    /** Both tellers cannot share a catalog (they export the same service); one catalog per variant. */
    public static ServiceCatalog catalog(GuestModule teller) {
        return ServiceCatalog.of(ledger(), teller);
    }

    /**
     * Alice and Bob deposit 10 and 20 into one account at the same moment; when both deposits
     * are acknowledged, an auditor reads the balance, which must be 30.
     */
    // README:begin (README.md shows this method verbatim; ReadmeTest keeps the two in step)
    public static void concurrentDeposits(Sim sim, GuestModule teller) {
        sim.use(catalog(teller), TELLER);
        TestClient alice = sim.client("alice");
        TestClient bob = sim.client("bob");
        TestClient auditor = sim.client("auditor");
        SimFuture<DepositReply> fromAlice = alice.call(TELLER, "Deposit", deposit(10), DepositReply.parser());
        SimFuture<DepositReply> fromBob = bob.call(TELLER, "Deposit", deposit(20), DepositReply.parser());
        sim.runUntil(() -> fromAlice.isDone() && fromBob.isDone());
        sim.verify("both deposits are acknowledged", () -> {
            fromAlice.get();
            fromBob.get();
        });
        long balance = sim.await(auditor.call(TELLER, "Balance",
                BalanceRequest.newBuilder().setAccount(ACCOUNT).build(), BalanceReply.parser())).getBalance();
        sim.verify("money is conserved", () -> {
            if (balance != 30) {
                throw new AssertionError("balance of " + ACCOUNT + " is " + balance
                        + " after deposits of 10 and 20 were both acknowledged (expected 30)");
            }
        });
        sim.run();
    }
    // README:end

    static DepositRequest deposit(long amount) {
        return DepositRequest.newBuilder().setAccount(ACCOUNT).setAmount(amount).build();
    }
}
