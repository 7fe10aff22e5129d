package dev.parigot.sim.junit.internal;

import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import java.nio.charset.StandardCharsets;

/**
 * The world the engine's fixtures run, built from Java code only: a {@code test.v1.Ledger}
 * service holding a balance, and clients that each read it and write it back plus 10. With two
 * clients, a seed whose interleaving puts both reads before either write loses a deposit; with
 * one client no seed can.
 */
final class LedgerWorld {
    static final String SERVICE = "test.v1.Ledger";
    static final long DEPOSIT = 10;

    private LedgerWorld() {
    }

    /** Two clients race a read-modify-write; the world fails "no lost update" on seeds that lose one. */
    static void lostUpdate(Sim sim) {
        deposits(sim, 2);
    }

    /** {@code clients} clients each deposit once; the balance must end at {@code clients * DEPOSIT}. */
    static void deposits(Sim sim, int clients) {
        long[] balance = {0};
        sim.add("ledger", JavaService.builder(SERVICE)
                .rawMethod("Get", (request, call) -> call.reply(Status.OK, bytes(balance[0])))
                .rawMethod("Put", (request, call) -> {
                    balance[0] = Long.parseLong(new String(request, StandardCharsets.US_ASCII));
                    call.reply(Status.OK, new byte[0]);
                })
                .build());
        for (int i = 0; i < clients; i++) {
            TestClient client = sim.client("client-" + i);
            client.call(SERVICE, "Get", new byte[0]).whenDone(read -> {
                long seen = Long.parseLong(new String(read.get(), StandardCharsets.US_ASCII));
                client.call(SERVICE, "Put", bytes(seen + DEPOSIT));
            });
        }
        sim.run();
        long expected = clients * DEPOSIT;
        sim.verify("no lost update", () -> {
            if (balance[0] != expected) {
                throw new AssertionError("balance is " + balance[0] + ", expected " + expected);
            }
        });
    }

    static final String COUNTER = "test.v1.Counter";

    /**
     * A client sends {@code increments} increments at once to a counter; the world fails "each
     * acknowledged increment counted once" when the count and the acknowledgements differ, which
     * only faults make happen: a lost reply, a duplicated request.
     */
    static void increments(Sim sim, int increments) {
        long[] counted = {0};
        sim.add("counter", JavaService.builder(COUNTER)
                .rawMethod("Add", (request, call) -> {
                    counted[0]++;
                    call.reply(Status.OK, new byte[0]);
                })
                .build());
        TestClient client = sim.client("client-0");
        long[] acknowledged = {0};
        for (int i = 0; i < increments; i++) {
            client.call(COUNTER, "Add", new byte[0]).whenDone(reply -> acknowledged[0] += reply.isOk() ? 1 : 0);
        }
        sim.run();
        sim.verify("each acknowledged increment counted once", () -> {
            if (counted[0] != acknowledged[0]) {
                throw new AssertionError("counted " + counted[0] + ", acknowledged " + acknowledged[0]);
            }
        });
    }

    /** One client reading the balance {@code reads} times, one read after the other. */
    static void sequentialReads(Sim sim, int reads) {
        sim.add("ledger", JavaService.builder(SERVICE)
                .rawMethod("Get", (request, call) -> call.reply(Status.OK, bytes(0)))
                .build());
        TestClient client = sim.client("client-0");
        for (int i = 0; i < reads; i++) {
            sim.await(client.call(SERVICE, "Get", new byte[0]));
        }
        sim.run();
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
