package dev.parigot.sim.samples;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.samples.bench.v1.RunReply;
import dev.parigot.sim.samples.bench.v1.RunRequest;

/** Two C services playing ping-pong: the kernel's step-rate workload. */
public final class PingPongSample {
    private PingPongSample() {
    }

    public static GuestModule ping() {
        return GuestModule.fromResource(PingPongSample.class, "/guests/ping.wasm");
    }

    public static GuestModule pong() {
        return GuestModule.fromResource(PingPongSample.class, "/guests/pong.wasm");
    }

    /** Boots ping and pong, asks ping for {@code rounds} round trips and returns how many completed. */
    public static long rounds(Sim sim, long rounds) {
        sim.add(pong()).add(ping());
        return sim.await(sim.client("driver").call("bench.v1.Pinger", "Run",
                RunRequest.newBuilder().setRounds(rounds).build(), RunReply.parser())).getCompleted();
    }
}
