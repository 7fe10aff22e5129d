package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.bank.v1.AddReply;
import dev.parigot.sim.samples.bank.v1.AddRequest;
import dev.parigot.sim.samples.bank.v1.Bank;
import dev.parigot.sim.samples.bank.v1.DepositReply;
import dev.parigot.sim.samples.bank.v1.DepositRequest;
import dev.parigot.sim.samples.bank.v1.GetReply;
import dev.parigot.sim.samples.bank.v1.GetRequest;
import dev.parigot.sim.samples.bank.v1.PutReply;
import dev.parigot.sim.samples.bank.v1.PutRequest;
import dev.parigot.sim.scheduler.Seed;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The C Teller against a Java fake of the Ledger, typed from bank.proto: a Java service is a
 * process of the world like a guest, so the lost update happens against the fake too.
 */
class JavaLedgerFakeTest {

    /** An in-memory Ledger, as a test would fake an external system. */
    static JavaService fakeLedger(Map<String, Long> balances) {
        return JavaService.builder(Bank.getDescriptor().findServiceByName("Ledger"))
                .method("Get", GetRequest.parser(), (req, call) -> call.reply(GetReply.newBuilder()
                        .setBalance(balances.getOrDefault(req.getAccount(), 0L)).build()))
                .method("Put", PutRequest.parser(), (req, call) -> {
                    balances.put(req.getAccount(), req.getBalance());
                    call.reply(PutReply.getDefaultInstance());
                })
                .method("Add", AddRequest.parser(), (req, call) -> {
                    long now = balances.merge(req.getAccount(), req.getDelta(), Long::sum);
                    call.reply(AddReply.newBuilder().setBalance(now).build());
                })
                .build();
    }

    static boolean losesAnUpdate(Seed seed, boolean fixed) {
        Map<String, Long> balances = new LinkedHashMap<>();
        Sim sim = Sim.create(SimConfig.builder().seed(seed).echoLog(false).build());
        sim.add("ledger", fakeLedger(balances));
        sim.add(fixed ? BankSample.fixedTeller() : BankSample.buggyTeller());
        TestClient alice = sim.client("alice");
        TestClient bob = sim.client("bob");
        SimFuture<DepositReply> a = alice.call(BankSample.TELLER, "Deposit", BankSample.deposit(10),
                DepositReply.parser());
        SimFuture<DepositReply> b = bob.call(BankSample.TELLER, "Deposit", BankSample.deposit(20),
                DepositReply.parser());
        sim.run();
        assertThat(a.status()).isEqualTo(Status.OK);
        assertThat(b.status()).isEqualTo(Status.OK);
        return balances.get(BankSample.ACCOUNT) != 30L;
    }

    @Test
    void theBuggyTellerLosesAnUpdateAgainstTheFakeUnderSomeSeeds() {
        int lost = 0;
        for (int i = 0; i < 100; i++) {
            lost += losesAnUpdate(Seed.FIRST.plus(i), false) ? 1 : 0;
        }
        assertThat(lost).isBetween(1, 99);
    }

    @Test
    void theFixedTellerNeverLosesOneAgainstTheFake() {
        for (int i = 0; i < 200; i++) {
            assertThat(losesAnUpdate(Seed.FIRST.plus(i), true)).as("seed %s", Seed.FIRST.plus(i)).isFalse();
        }
    }

    @Test
    void theFakeIsCheckedAgainstTheProtoWhenItIsBuilt() {
        assertThatThrownBy(() -> JavaService.builder(Bank.getDescriptor().findServiceByName("Ledger"))
                .method("Withdraw", GetRequest.parser(), (req, call) -> { }))
                .hasMessageContaining("bank.v1.Ledger has no method 'Withdraw'")
                .hasMessageContaining("[Get, Put, Add]");
        assertThatThrownBy(() -> JavaService.builder(Bank.getDescriptor().findServiceByName("Ledger"))
                .method("Get", PutRequest.parser(), (req, call) -> { }))
                .hasMessageContaining("bank.v1.Ledger/Get takes bank.v1.GetRequest, but the parser given reads"
                        + " bank.v1.PutRequest");
    }
}
