package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parigot.sim.samples.bank.v1.DepositReply;
import dev.parigot.sim.samples.bank.v1.DepositRequest;
import dev.parigot.sim.samples.bank.v1.GetReply;
import dev.parigot.sim.samples.bank.v1.GetRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/**
 * Two units on loopback: the bank's Teller (C) in one requires the Ledger (C) served by the
 * other, through a proxy in its world that forwards each call over gRPC.
 */
class TwoUnitsTest {

    @Test
    void aTellerInOneUnitDepositsThroughALedgerInAnotherOverGrpc() throws Exception {
        UnitHost ledger = UnitHost.builder("ledger").node(UnitNode.of(Modules.LEDGER, "ledger")).log(Modules::failuresOnly).start();
        UnitHost teller = UnitHost.builder("teller").node(UnitNode.of(Modules.TELLER, "teller"))
                .remote("bank.v1.Ledger", ledger.target()).log(Modules::failuresOnly).start();
        ManagedChannel toTeller = Modules.channel(teller.target());
        ManagedChannel toLedger = Modules.channel(ledger.target());
        try {
            assertThat(teller.exports()).containsExactly("bank.v1.Teller");

            long first = deposit(toTeller, 10);
            long second = deposit(toTeller, 32);
            GetReply stored = GetReply.parseFrom(Modules.call(toLedger, "bank.v1.Ledger/Get",
                    GetRequest.newBuilder().setAccount("acct-1").build().toByteArray()));

            assertThat(first).isEqualTo(10);
            assertThat(second).isEqualTo(42);
            assertThat(stored.getBalance()).as("the ledger unit holds what the teller unit deposited").isEqualTo(42);

            ledger.close();
            StatusRuntimeException gone = catchThrowableOfType(StatusRuntimeException.class, () -> deposit(toTeller, 1));
            assertThat(gone.getStatus().getCode()).as("the teller passes the failed ledger call through")
                    .isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        } finally {
            Modules.close(toTeller);
            Modules.close(toLedger);
            teller.close();
            ledger.close();
        }
    }

    private static long deposit(ManagedChannel channel, long amount) throws Exception {
        byte[] reply = Modules.call(channel, "bank.v1.Teller/Deposit",
                DepositRequest.newBuilder().setAccount("acct-1").setAmount(amount).build().toByteArray());
        return DepositReply.parseFrom(reply).getBalance();
    }
}
