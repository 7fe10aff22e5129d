package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Shrinker;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine shrinks a failing seed's run: fewer steps and faults, the same failure, a file that replays it. */
class FailureShrinkerTest {
    /** A budget of replays, not of time, so that the test's shrink is the same on every machine. */
    private static final Shrinker BUDGET = Shrinker.defaults().withTimeBudget(Duration.ofMinutes(5))
            .withAttemptsMax(400);

    @TempDir
    Path dir;

    /**
     * A client sends increments one after another (each after the previous reply) to a counter; an
     * invariant checked after every step fails the moment the counter has counted more than was
     * sent, which only a duplicated request makes happen. The earlier the duplicate, the shorter
     * the failing run: what shrinking should find.
     */
    static class CountsDuplicates {
        @ParigotSimTest(seeds = 30, strategy = "pct:3", faults = "swarm")
        void neverCountsMoreThanWasSent(Sim sim) {
            long[] counted = {0};
            long[] sent = {0};
            sim.add("counter", JavaService.builder(LedgerWorld.COUNTER)
                    .rawMethod("Add", (request, call) -> {
                        counted[0]++;
                        call.reply(Status.OK, new byte[0]);
                    })
                    .build());
            TestClient client = sim.client("client-0");
            sim.invariant("never counts more than was sent", () -> counted[0] <= sent[0]);
            send(client, sent, 60);
            sim.run();
        }

        private static void send(TestClient client, long[] sent, int left) {
            if (left == 0) {
                return;
            }
            sent[0]++;
            client.call(LedgerWorld.COUNTER, "Add", new byte[0]).whenDone(reply -> send(client, sent, left - 1));
        }
    }

    private static final String TEST = CountsDuplicates.class.getName() + "#neverCountsMoreThanWasSent";

    private static SeedExecutor executor() throws Exception {
        Method m = CountsDuplicates.class.getDeclaredMethod("neverCountsMoreThanWasSent", Sim.class);
        Settings settings = Settings.of(m.getAnnotation(ParigotSimTest.class), key -> Optional.empty(), Set.of(), Map.of());
        return SeedExecutor.prepare(CountsDuplicates.class, m, settings);
    }

    /** The first seed of the fixture's sweep that fails, with its fault count. */
    private static Seed failingSeed(SeedExecutor executor) {
        for (int i = 0; i < 200; i++) {
            Seed seed = Seed.FIRST.plus(i);
            SeedExecutor.Ran ran = executor.runChoices(seed, null, false);
            if (ran.outcome().failure() != null && ran.outcome().steps() >= 20) {
                return seed;
            }
        }
        throw new AssertionError("no seed of 200 fails after 20 steps or more");
    }

    @Test
    void aFailingSeedShrinksToFewerStepsAndFaultsFailingTheSameWayAndItsFileReplaysIt() throws Exception {
        SeedExecutor executor = executor();
        Seed seed = failingSeed(executor);

        FailureShrinker.Shrunk s = FailureShrinker.shrink(executor, TEST, seed, BUDGET, dir).orElseThrow();

        assertThat(s.result().reproduced()).isTrue();
        assertThat(s.stepsAfter()).isLessThan(s.stepsBefore());
        assertThat(s.faultsAfter()).isLessThanOrEqualTo(s.faultsBefore());
        SimFailure after = s.shrunk().outcome().failure();
        assertThat(after).isNotNull();
        assertThat(FailureShrinker.failureClass(after)).isEqualTo(FailureShrinker.failureClass(s.original()));
        assertThat(s.headline()).startsWith("shrunk from " + String.format("%,d", s.stepsBefore()) + " steps")
                .contains(" to " + String.format("%,d", s.stepsAfter()) + " step");
        // The report's run keeps every step and payload.
        assertThat(s.shrunk().outcome().trace().retains(1)).isTrue();
        assertThat(s.shrunk().outcome().trace().keepsPayloads()).isTrue();

        // The file holds the shrunk choices; replaying them is the shrunk run, step for step.
        assertThat(s.choicesFile()).exists().hasFileName(seed + ".shrunk.choices");
        FailureShrinker.ChoicesFile file = FailureShrinker.read(s.choicesFile());
        ChoiceRecording read = file.recording();
        assertThat(read).isEqualTo(s.result().shrunk());
        // Its first line names whose run it is: it replays that seed of that test only.
        assertThat(file.test()).isEqualTo(TEST);
        assertThat(file.seed()).isEqualTo(seed.toString());
        file.requireSeed(seed);
        file.requireTest(TEST);
        assertThatThrownBy(() -> file.requireSeed(seed.plus(1))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("holds the shrunk run of seed " + seed + " of " + TEST + ", not of seed "
                        + seed.plus(1)).hasMessageContaining("parigot.seed=" + seed);
        assertThatThrownBy(() -> file.requireTest("a.B#other")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("holds a shrunk run of " + TEST + ", not of a.B#other");
        // A recording changed after it was written is refused, not replayed as another run.
        List<String> lines = Files.readAllLines(s.choicesFile());
        String changed = lines.get(1).charAt(0) == 'A' ? "B" + lines.get(1).substring(1) : "A" + lines.get(1).substring(1);
        Path edited = dir.resolve("edited.choices");
        Files.writeString(edited, lines.get(0) + "\n" + changed + "\n");
        assertThatThrownBy(() -> FailureShrinker.read(edited)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("was changed after it was written");
        // So is one whose first line was made to name another seed.
        Path reseeded = dir.resolve("reseeded.choices");
        Files.writeString(reseeded, lines.get(0).replace(seed.toString(), seed.plus(1).toString()) + "\n" + lines.get(1)
                + "\n");
        assertThatThrownBy(() -> FailureShrinker.read(reseeded)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("was changed after it was written");
        // Without the first line (a recording by hand), it is read as it is.
        Path bare = dir.resolve("bare.choices");
        Files.writeString(bare, lines.get(1) + "\n");
        assertThat(FailureShrinker.read(bare).recording()).isEqualTo(read);
        assertThat(FailureShrinker.read(bare).seed()).isNull();
        SeedExecutor.Ran replayed = executor.runChoices(seed, read, false);
        assertThat(replayed.outcome().traceHash()).isEqualTo(s.shrunk().outcome().traceHash());
        assertThat(replayed.outcome().failure().reason()).isEqualTo(after.reason());

        // Shrinking is deterministic: the same seed and budget give the same shrunk run.
        FailureShrinker.Shrunk again = FailureShrinker.shrink(executor, TEST, seed, BUDGET, dir.resolve("again"))
                .orElseThrow();
        assertThat(again.result().shrunk()).isEqualTo(s.result().shrunk());
        assertThat(again.shrunk().outcome().traceHash()).isEqualTo(s.shrunk().outcome().traceHash());
    }

    @Test
    void aPassingSeedHasNothingToShrink() throws Exception {
        Method m = Fixtures.OneDepositor.class.getDeclaredMethods()[0];
        Settings settings = Settings.of(m.getAnnotation(ParigotSimTest.class), key -> Optional.empty(), Set.of(), Map.of());
        SeedExecutor executor = SeedExecutor.prepare(Fixtures.OneDepositor.class, m, settings);
        assertThat(FailureShrinker.shrink(executor, TEST, Seed.FIRST, BUDGET, dir)).isEmpty();
    }

    @Test
    void theFailureClassKeepsKindAndNameAndMasksNumbers() {
        SimFailure a = failure(FailureKind.ASSERTION, "\"each acknowledged increment counted once\" does not hold:"
                + " counted 41, acknowledged 40");
        SimFailure b = failure(FailureKind.ASSERTION, "\"each acknowledged increment counted once\" does not hold:"
                + " counted 3, acknowledged 2");
        SimFailure other = failure(FailureKind.INVARIANT, "\"each acknowledged increment counted once\" does not"
                + " hold: counted 3, acknowledged 2");
        SimFailure trapAt = failure(FailureKind.GUEST_FAULT, "node 'teller' trapped at 0x1f in call 12");
        SimFailure trapLater = failure(FailureKind.GUEST_FAULT, "node 'teller' trapped at 0x2a in call 7");
        assertThat(FailureShrinker.failureClass(a)).isEqualTo(FailureShrinker.failureClass(b));
        assertThat(FailureShrinker.failureClass(a)).isNotEqualTo(FailureShrinker.failureClass(other));
        assertThat(FailureShrinker.failureClass(trapAt)).isEqualTo(FailureShrinker.failureClass(trapLater));
    }

    @Test
    void aBadChoicesFileIsRefusedSayingWhatToGive() throws Exception {
        Path bad = dir.resolve("bad.choices");
        Files.writeString(bad, "not a recording");
        assertThatThrownBy(() -> FailureShrinker.read(bad)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("is not a recorded choice stream").hasMessageContaining(".choices file");
        Path empty = dir.resolve("empty.choices");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> FailureShrinker.read(empty)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("holds no recording");
        assertThatThrownBy(() -> FailureShrinker.read(dir.resolve("missing.choices")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("cannot read the choices file");
    }

    private static SimFailure failure(FailureKind kind, String reason) {
        return new SimFailure(Seed.FIRST, "fifo", kind, reason, "", 1, 1, 1, List.of(), List.of(), List.of(),
                Map.of(), Map.of());
    }
}
