package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Same modules + same test code + same configuration + same seed => the same trace, bit for bit,
 * whatever the thread or what else runs beside it; another seed explores another interleaving.
 */
class DeterminismTest {
    static final GuestModule ECHO = Guests.load("echo");
    static final GuestModule MISUSE = Guests.load("misuse");

    /**
     * Three echo replicas, a guest that calls them, a Java ledger that answers after a seeded
     * delay, and three clients whose timers fire calls of four kinds.
     */
    static void multiNodeScenario(Sim sim) {
        sim.add(ECHO, NodeOptions.named("e1")).add(ECHO, NodeOptions.named("e2")).add(ECHO, NodeOptions.named("e3"));
        sim.add(MISUSE);
        sim.add("ledger", JavaService.builder("test.v1.Ledger")
                .rawMethod("Add", (bytes, call) -> {
                    long delayNanos = Math.floorMod(call.context().randomLong(), 2_000_000L);
                    call.context().schedule(Duration.ofNanos(delayNanos), () -> call.reply(Status.OK, bytes));
                })
                .build());
        List<TestClient> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            clients.add(sim.client("c" + c));
        }
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            TestClient client = clients.get(c);
            for (int i = 0; i < 5; i++) {
                byte[] payload = {(byte) c, (byte) i};
                client.schedule(Duration.ofNanos(150_000L * i + 37_000L * c), () -> {
                    replies.add(client.call("test.v1.Misuse", "CallEcho", payload));
                    replies.add(client.call("test.v1.Echo@e2", "Echo", payload));
                    replies.add(client.call("test.v1.Echo", "Echo", payload));
                    replies.add(client.call("test.v1.Ledger", "Add", payload));
                });
            }
        }
        sim.run();
        assertThat(replies).hasSize(60).allSatisfy(r -> assertThat(r.isOk()).isTrue());
    }

    static Sim runScenario(long seed) {
        Sim sim = DeterminismCheck.runOnce(Guests.config(seed).build(), DeterminismTest::multiNodeScenario);
        assertThat(sim.failure()).isEmpty();
        return sim;
    }

    static List<TraceStep> steps(Sim sim) {
        return sim.trace().last(Integer.MAX_VALUE);
    }

    @Test
    void determinismCheckOfAMultiNodeScenarioFindsIdenticalHashes() {
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(0x5eed).build(),
                DeterminismTest::multiNodeScenario);

        assertThat(result.deterministic()).as(result.describe()).isTrue();
        assertThat(result.firstHash()).isEqualTo(result.secondHash());
        assertThat(result.divergentStep()).isEqualTo(-1);
        // 5 ready (clients have none) + 15 client timers + 75 calls + 75 results + 15 deferred-reply timers.
        assertThat(result.steps()).isEqualTo(5 + 15 + 75 + 75 + 15);
        assertThat(result.describe()).isEqualTo(String.format("deterministic: %,d steps, trace hash %016x both times",
                result.steps(), result.firstHash()));
    }

    @Test
    void sameSeedTwiceGivesTheSameTraceHashStepsAndLog() {
        Sim a = runScenario(42);
        Sim b = runScenario(42);

        assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
        assertThat(steps(b)).isEqualTo(steps(a));
        assertThat(b.log()).isEqualTo(a.log());
        assertThat(b.nowNanos()).isEqualTo(a.nowNanos());
    }

    @Test
    void differentSeedsExploreDifferentInterleavings() {
        Map<Long, Long> hashBySeed = new LinkedHashMap<>();
        Map<Long, List<String>> orderBySeed = new LinkedHashMap<>();
        for (long seed = 1; seed <= 6; seed++) {
            Sim sim = runScenario(seed);
            hashBySeed.put(seed, sim.trace().hash());
            orderBySeed.put(seed, steps(sim).stream()
                    .map(s -> s.kind() + " " + s.source() + "->" + s.target() + " " + s.method()).toList());
        }

        assertThat(hashBySeed.values()).as("trace hashes of seeds 1..6").doesNotHaveDuplicates();
        assertThat(orderBySeed.get(1L)).as("seeds 1 and 2 run their steps in another order").isNotEqualTo(orderBySeed.get(2L));
        // ... but the same work gets done: the same kinds of steps on the same methods.
        assertThat(kindsAndMethods(orderBySeed.get(1L))).containsExactlyInAnyOrderElementsOf(
                kindsAndMethods(orderBySeed.get(2L)));
    }

    static List<String> kindsAndMethods(List<String> steps) {
        return steps.stream().map(s -> s.replaceAll(" \\S+->\\S+ ", " ")).toList();
    }

    @Test
    void sameSeedOnTwoThreadsAtOnceGivesTheSameHashAsSequentially() throws Exception {
        long sequential7 = runScenario(7).trace().hash();
        long sequential8 = runScenario(8).trace().hash();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long seed = i % 3 == 2 ? 8 : 7;
                futures.add(pool.submit(() -> runScenario(seed).trace().hash()));
            }
            for (int i = 0; i < futures.size(); i++) {
                long expected = i % 3 == 2 ? sequential8 : sequential7;
                assertThat(futures.get(i).get()).as("world %d", i).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sequential7).isNotEqualTo(sequential8);
    }

    @Test
    void firstDivergenceNamesTheFirstStepWhereTwoSeedsDiffer() {
        Trace a = runScenario(1).trace();
        Trace b = runScenario(2).trace();

        long d = Trace.firstDivergence(a, b);

        assertThat(d).isBetween(1L, Math.min(a.steps(), b.steps()));
        for (long s = 1; s < d; s++) {
            assertThat(b.step(s)).isEqualTo(a.step(s));
            assertThat(b.hashAfter(s)).isEqualTo(a.hashAfter(s));
        }
        assertThat(b.hashAfter(d)).isNotEqualTo(a.hashAfter(d));
        assertThat(b.step(d)).isNotEqualTo(a.step(d));
        assertThat(Trace.firstDivergence(a, a)).isEqualTo(-1);
    }

    @Test
    void firstDivergenceOfARunAndItsPrefixIsTheStepAfterThePrefix() {
        Sim whole = runScenario(3);
        Sim prefix = Sim.create(Guests.config(3).stepsMax(40).build());
        try {
            multiNodeScenario(prefix);
        } catch (SimFailureException e) {
            assertThat(e.failure().kind()).isEqualTo(FailureKind.LIMIT);
        }

        assertThat(prefix.trace().steps()).isEqualTo(40);
        assertThat(Trace.firstDivergence(whole.trace(), prefix.trace())).isEqualTo(41);
    }

    @Test
    void determinismCheckReportsTheFirstDivergentStepOfANondeterministicScenario() {
        AtomicInteger runs = new AtomicInteger();
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(9).build(), sim -> {
            sim.add(ECHO);
            TestClient client = sim.client("client");
            sim.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
            // Outside state leaking into the world: the second run sends other bytes.
            sim.await(client.call("test.v1.Echo", "Echo", new byte[] {(byte) runs.incrementAndGet()}));
        });

        assertThat(result.deterministic()).isFalse();
        assertThat(result.firstHash()).isNotEqualTo(result.secondHash());
        // Steps: 1 ready, 2 call, 3 result, 4 the second call: the first that differs.
        assertThat(result.divergentStep()).isEqualTo(4);
        assertThat(result.firstStep()).startsWith("#4 ").contains("CALL").contains("client -> echo");
        assertThat(result.secondStep()).startsWith("#4 ").isNotEqualTo(result.firstStep());
        assertThat(result.describe()).startsWith("NOT deterministic: the runs diverge at step 4")
                .contains("first run:  " + result.firstStep())
                .contains("second run: " + result.secondStep());
    }
}
