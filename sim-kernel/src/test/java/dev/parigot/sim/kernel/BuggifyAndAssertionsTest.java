package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.i64;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parigot.sim.faults.FaultProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BUGGIFY from guests (the ABI import) and from Java ({@code sim.buggify}): never fires with
 * buggify off, and then leaves the run exactly as without it; with it on, sites are enabled per
 * world and fire now and then, as the seed decides, and are listed in the failure report.
 * Assertions: always/unreachable fail the world where they are; sometimes/reachable are tallied.
 */
class BuggifyAndAssertionsTest {
    static final FaultProfile BUGGIFY = FaultProfile.builder().label("bugs").buggify(true).build();

    /** A guest asks buggify at two sites and Java at one, 20 times each; returns every answer in order. */
    static List<Boolean> visitSites(Sim sim) {
        return visitSites(sim, true);
    }

    static List<Boolean> visitSites(Sim sim, boolean askFromJava) {
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (String site : List.of("guest-a", "guest-b")) {
                byte[] reply = sim.await(client.call(HandmadeGuest.SERVICE, "Buggify",
                        site.getBytes(StandardCharsets.UTF_8)));
                answers.add(i64(reply) == 1);
            }
            answers.add(askFromJava && sim.buggify("java-c"));
        }
        return answers;
    }

    @Test
    void withBuggifyOffNoSiteFiresAndAskingChangesNothing() {
        for (long seed = 1; seed <= 5; seed++) {
            Sim off = twice(config(seed, FaultProfile.NONE).build(), sim -> {
                List<Boolean> answers = visitSites(sim);
                assertThat(answers).containsOnly(false);
                return answers;
            }).sim();
            assertThat(off.buggifyEnabled()).isEmpty();
            assertThat(off.buggifyFired()).isEmpty();
            // Asking from Java with buggify off draws nothing: the run is the one that never asks.
            Sim unasked = FaultWorlds.once(config(seed, FaultProfile.NONE).build(), sim -> visitSites(sim, false)).sim();
            assertThat(unasked.trace().hash()).isEqualTo(off.trace().hash());
        }
    }

    @Test
    void withBuggifyOnSitesAreEnabledPerWorldAndFireAsTheSeedDecides() {
        Set<List<String>> enabledSets = new LinkedHashSet<>();
        int worldsWhereSomethingFired = 0;
        for (long seed = 1; seed <= 40; seed++) {
            FaultWorlds.Run<List<Boolean>> run = twice(config(seed, BUGGIFY).build(),
                    BuggifyAndAssertionsTest::visitSites);
            Sim sim = run.sim();
            List<String> enabled = sim.buggifyEnabled();
            List<String> fired = sim.buggifyFired();
            assertThat(enabled).isSubsetOf("guest-a", "guest-b", "java-c");
            assertThat(enabled).containsAll(fired);
            for (int k = 0; k < 3; k++) {
                String site = List.of("guest-a", "guest-b", "java-c").get(k);
                boolean firedHere = false;
                for (int i = 0; i < 20; i++) {
                    firedHere |= run.result().get(3 * i + k);
                }
                assertThat(firedHere).as("seed %d site %s", seed, site).isEqualTo(fired.contains(site));
            }
            enabledSets.add(enabled);
            if (!fired.isEmpty()) {
                worldsWhereSomethingFired++;
                SimFailure report = FaultWorlds.assertReported(sim);
                assertThat(report.faultContext()).contains("buggify: enabled " + enabled + ", fired " + fired);
                assertThat(report.describe()).contains("faults: bugs: ").contains("; buggify");
            }
        }
        // Each site is enabled for about a quarter of worlds: many different sets over 40 seeds.
        assertThat(enabledSets).hasSizeGreaterThan(3).contains(List.of());
        assertThat(worldsWhereSomethingFired).isBetween(10, 35);
    }

    @Test
    void aJavaServiceMayAskBuggifyInItsHandlers() {
        int fired = 0;
        for (long seed = 1; seed <= 30; seed++) {
            List<Boolean> answers = twice(config(seed, BUGGIFY).build(), sim -> {
                sim.add("flaky", JavaService.builder("test.v1.Flaky")
                        .rawMethod("Go", (bytes, call) -> call.reply(sim.buggify("flaky-reply") ? Status.UNAVAILABLE
                                : Status.OK, bytes))
                        .build());
                TestClient client = sim.client("client");
                List<Boolean> out = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    SimFuture<byte[]> r = client.call("test.v1.Flaky", "Go", new byte[0]);
                    sim.run();
                    out.add(r.status() == Status.UNAVAILABLE);
                }
                assertThat(sim.buggifyFired().contains("flaky-reply")).isEqualTo(out.contains(true));
                return out;
            }).result();
            fired += answers.contains(true) ? 1 : 0;
        }
        assertThat(fired).isBetween(2, 20);
    }

    // ------------------------------------------------------------------ assertions

    @Test
    void aFailedAlwaysAssertionFromJavaFailsTheWorld() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.assertAlways("fine", true);
        assertThat(sim.failure()).isEmpty();
        SimFailureException e = catchThrowableOfType(SimFailureException.class,
                () -> sim.assertAlways("balance never negative", false));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().reason()).contains("always-assertion failed: balance never negative");
        assertThat(sim.failure()).contains(e.failure());
    }

    @Test
    void reachingJavaCodeMarkedUnreachableFailsTheWorldFromInsideAStep() {
        Sim sim = Sim.create(Guests.config(2).build());
        sim.add("svc", JavaService.builder("test.v1.Svc")
                .rawMethod("Go", (bytes, call) -> sim.assertUnreachable("Go is never called"))
                .build());
        TestClient client = sim.client("client");
        client.call("test.v1.Svc", "Go", new byte[0]);
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);
        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().reason()).contains("reached code marked unreachable: Go is never called");
        assertThat(e.failure().lastSteps()).extracting(TraceStep::kind).endsWith(StepKind.CALL);
    }

    static byte[] assertion(int kind, boolean condition, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + text.length];
        out[0] = (byte) kind;
        out[1] = (byte) (condition ? 1 : 0);
        System.arraycopy(text, 0, out, 2, text.length);
        return out;
    }

    @Test
    void sometimesAndReachableAssertionsOfGuestsAndJavaAreTallied() {
        Sim sim = Sim.create(Guests.config(3).build());
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        for (boolean held : new boolean[] {false, true, false}) {
            sim.await(client.call(HandmadeGuest.SERVICE, "Assert", assertion(1, held, "retry succeeds")));
        }
        sim.await(client.call(HandmadeGuest.SERVICE, "Assert", assertion(2, false, "fallback path")));
        sim.await(client.call(HandmadeGuest.SERVICE, "Assert", assertion(0, true, "always fine")));
        sim.assertSometimes("retry succeeds", true);
        sim.assertSometimes("cache hit", false);
        sim.assertReachable("fallback path");
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.assertions()).containsExactly(
                new AssertionTally.Entry("sometimes", "retry succeeds", 4, 2),
                new AssertionTally.Entry("reachable", "fallback path", 2, 2),
                new AssertionTally.Entry("sometimes", "cache hit", 1, 0));
    }

    @Test
    void aGuestsFailedAlwaysAssertionFailsTheWorldNamingTheNode() {
        Sim sim = Sim.create(Guests.config(4).build());
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        client.call(HandmadeGuest.SERVICE, "Assert", assertion(0, false, "stock never negative"));
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);
        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().node()).isEqualTo("handmade");
        assertThat(e.failure().reason()).isEqualTo("node 'handmade' failed an always-assertion: stock never negative");
    }

    @Test
    void aGuestReachingCodeMarkedUnreachableFailsTheWorld() {
        Sim sim = Sim.create(Guests.config(5).build());
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        client.call(HandmadeGuest.SERVICE, "Assert", assertion(3, true, "after the final state"));
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);
        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().reason()).isEqualTo("node 'handmade' reached code marked unreachable: after the final"
                + " state");
    }

    @Test
    void anAssertionFailureInAWorldWithFaultsReportsThem() {
        FaultProfile lossy = FaultProfile.builder().label("lossy").network(n -> n.drop(0.5)).buggify(true).build();
        Sim sim = Sim.create(config(6, lossy).build());
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        for (int i = 0; i < 10; i++) {
            client.call(HandmadeGuest.SERVICE, "Count", new byte[0]);
        }
        sim.run();
        client.call(HandmadeGuest.SERVICE, "Assert", assertion(0, false, "every count answered"));
        SimFailureException e = catchThrowableOfType(SimFailureException.class, () -> {
            sim.run();
            sim.assertAlways("every count answered", false);
        });
        SimFailure failure = e.failure();
        assertThat(failure.faultContext()).first().isEqualTo("faults: " + lossy.describe());
        assertThat(failure.describe()).contains("faults injected (").contains(" DROP ");
    }
}
