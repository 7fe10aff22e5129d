package dev.parigot.sim.samples;

import com.google.protobuf.ByteString;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.kv.v1.GetReply;
import dev.parigot.sim.samples.kv.v1.GetRequest;
import dev.parigot.sim.samples.kv.v1.PutReply;
import dev.parigot.sim.samples.kv.v1.PutRequest;
import dev.parigot.sim.samples.payments.v1.ChargedReply;
import dev.parigot.sim.samples.payments.v1.ChargedRequest;
import dev.parigot.sim.samples.payments.v1.PayReply;
import dev.parigot.sim.samples.payments.v1.PayRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Three applications whose bugs only faults reveal, each with a fixed variant:
 * <ul>
 *   <li>payments: a Checkout retries a timed-out Charge without an idempotency key, so a slow
 *       or duplicated request charges twice;</li>
 *   <li>kv: a Store acknowledges a Put before syncing it to disk, so a crash loses an
 *       acknowledged write;</li>
 *   <li>lease: a Worker keeps leading while its renewals go unanswered, so a partition lets
 *       two workers lead at once.</li>
 * </ul>
 */
public final class FaultSamples {
    private FaultSamples() {
    }

    static GuestModule guest(String name) {
        return GuestModule.fromResource(FaultSamples.class, "/guests/" + name + ".wasm");
    }

    // ------------------------------------------------------------------ payments

    /** What the payments scenario needs from the network: slow tails and the odd duplicate. */
    public static FaultProfile slowNetwork() {
        return FaultProfile.builder().label("slow network")
                .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.02, 60_000_000))
                        .duplicate(0.01)
                        .reorder(true))
                .build();
    }

    /** A customer pays order-1 once; the gateway must have charged it exactly once. */
    public static void payOnce(Sim sim, boolean fixed) {
        sim.add(guest("gateway"));
        sim.add(guest(fixed ? "checkout_fixed" : "checkout").named("checkout"));
        TestClient customer = sim.client("customer");
        SimFuture<PayReply> paid = customer.call("payments.v1.Checkout", "Pay",
                PayRequest.newBuilder().setOrder("order-1").setAmount(10).build(), PayReply.parser());
        sim.run();
        ChargedReply charged = sim.await(customer.call("payments.v1.Gateway", "Charged",
                ChargedRequest.newBuilder().setOrder("order-1").build(), ChargedReply.parser()));
        sim.verify("order-1 is charged at most once", () -> {
            if (charged.getTotal() > 10) {
                throw new AssertionError("order-1 was charged " + charged.getTotal() + " in " + charged.getCharges()
                        + " charges for one payment of 10 (" + (paid.isDone() ? "Pay answered " + paid.status()
                        : "Pay never answered") + ")");
            }
        });
    }

    // ------------------------------------------------------------------ kv

    /**
     * A client writes five keys one after another; at a moment the seed picks, the store crashes
     * and comes back 5 ms later. Every Put that was acknowledged must be readable afterwards.
     */
    public static void acknowledgedWritesSurviveACrash(Sim sim, boolean fixed) {
        sim.add(guest(fixed ? "kv_fixed" : "kv").named("kv"));
        TestClient client = sim.client("client");
        Map<String, String> acknowledged = new LinkedHashMap<>();
        long crashAtNanos = Math.floorMod(client.randomLong(), 3_000_000L);
        client.schedule(Duration.ofNanos(crashAtNanos), () -> sim.crash("kv", Duration.ofMillis(5)));
        putNext(sim, client, acknowledged, 0);
        sim.runFor(Duration.ofMillis(100));
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            GetReply got = sim.await(client.call("kv.v1.Store", "Get",
                    GetRequest.newBuilder().setKey(e.getKey()).build(), GetReply.parser()));
            sim.verify("an acknowledged write survives a crash", () -> {
                if (!got.getFound() || !got.getValue().toStringUtf8().equals(e.getValue())) {
                    throw new AssertionError("Put(" + e.getKey() + ") was acknowledged, but after the crash Get("
                            + e.getKey() + ") finds " + (got.getFound() ? "'" + got.getValue().toStringUtf8() + "'"
                            : "nothing"));
                }
            });
        }
    }

    private static void putNext(Sim sim, TestClient client, Map<String, String> acknowledged, int i) {
        if (i == 5) {
            return;
        }
        String key = "k" + i;
        String value = "v" + i;
        SimFuture<PutReply> put = client.call("kv.v1.Store", "Put", PutRequest.newBuilder().setKey(key)
                .setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build(), PutReply.parser());
        // A Put to a crashed store is never answered: give up on it after 2 ms and go on.
        long giveUp = client.schedule(Duration.ofMillis(2), () -> putNext(sim, client, acknowledged, i + 1));
        put.whenDone(r -> {
            if (client.cancel(giveUp)) {
                if (r.isOk()) {
                    acknowledged.put(key, value);
                }
                putNext(sim, client, acknowledged, i + 1);
            }
        });
    }

    // ------------------------------------------------------------------ lease

    /**
     * Three workers compete for a lease for 1.5 s of virtual time while the network partitions
     * now and then; at no moment may two of them lead.
     */
    public static void atMostOneLeader(Sim sim, boolean fixed) {
        sim.add(guest("lease_server"));
        GuestModule worker = guest(fixed ? "worker_fixed" : "worker").named("worker");
        for (String name : List.of("w1", "w2", "w3")) {
            sim.add(worker, NodeOptions.named(name));
        }
        Set<String> leaders = new HashSet<>();
        int[] seen = {0};
        sim.invariant("at most one worker leads", () -> {
            List<LogLine> log = sim.log();
            for (int i = Math.min(seen[0], log.size()); i < log.size(); i++) {
                LogLine line = log.get(i);
                if (line.text().equals("LEADER on")) {
                    leaders.add(line.node());
                } else if (line.text().equals("LEADER off")) {
                    leaders.remove(line.node());
                }
            }
            seen[0] = log.size();
            if (leaders.size() > 1) {
                throw new AssertionError("workers " + new ArrayList<>(leaders) + " lead at the same time");
            }
        });
        sim.runFor(Duration.ofMillis(1500));
    }

    /** Partitions often enough for the lease sample, with drifting clocks. */
    public static FaultProfile partitions() {
        return FaultProfile.builder().label("partitions")
                .network(n -> n.partitions(0.05).partitionDuration(Duration.ofMillis(50), Duration.ofMillis(400)))
                .clock(c -> c.skewMax(Duration.ofMillis(5)).driftPpmMax(10_000))
                .build();
    }
}
