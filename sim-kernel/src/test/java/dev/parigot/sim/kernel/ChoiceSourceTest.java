package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.ChoiceSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The world's choice source is its configuration's, whatever the strategy: a run recorded through
 * {@link SimConfig.Builder#recordChoices} and replayed through
 * {@link SimConfig.Builder#replayChoices} is the same run, without its seed.
 */
class ChoiceSourceTest {

    static Sim run(SimConfig config) {
        Sim sim = DeterminismCheck.runOnce(config, DeterminismTest::multiNodeScenario);
        assertThat(sim.failure()).as(config.strategyName()).isEmpty();
        return sim;
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct", "pct:1", "mix", "fifo"})
    void aRecordedRunReplayedFromItsRecordingUnderAnotherSeedHasTheSameTraceHash(String strategy) {
        Sim recorded = run(Guests.config(0x5eed).strategy(strategy).recordChoices(true).build());
        ChoiceRecording recording = recorded.choiceRecording();
        assertThat(recording.size()).isGreaterThan(10);

        Sim replayed = run(Guests.config(0xbad).strategy(strategy).replayChoices(recording).build());

        assertThat(replayed.trace().hash()).as(strategy).isEqualTo(recorded.trace().hash());
        assertThat(Trace.firstDivergence(recorded.trace(), replayed.trace())).isEqualTo(-1);
        assertThat(replayed.choicesDiverged()).isEmpty();
        // Recording changes nothing: the unrecorded run of the seed is the same run.
        assertThat(run(Guests.config(0x5eed).strategy(strategy).build()).trace().hash())
                .isEqualTo(recorded.trace().hash());
    }

    @Test
    void aRecordedReplayRecordsTheSameChoicesAgain() {
        Sim recorded = run(Guests.config(7).strategy("pct").recordChoices(true).build());
        Sim replayed = run(Guests.config(8).strategy("pct").replayChoices(recorded.choiceRecording())
                .recordChoices(true).build());
        assertThat(replayed.config().choices().describe()).startsWith("replay of ").endsWith(", recorded");
        assertThat(replayed.choiceRecording()).isEqualTo(recorded.choiceRecording());
        assertThat(replayed.trace().hash()).isEqualTo(recorded.trace().hash());
    }

    @Test
    void aSwarmWorldWithEveryFaultReplaysFromItsRecording() {
        for (String strategy : List.of("random", "pct")) {
            SimConfig config = FaultWorlds.config(0x5eed, FaultDeterminismTest.STORM).swarm(true).strategy(strategy)
                    .recordChoices(true).build();
            Sim recorded = FaultWorlds.once(config, FaultDeterminismTest::busyWorld).sim();
            Sim replayed = FaultWorlds.once(config.toBuilder().seed(99).replayChoices(recorded.choiceRecording())
                    .build(), FaultDeterminismTest::busyWorld).sim();
            assertThat(replayed.injectedFaults()).as(strategy).isEqualTo(recorded.injectedFaults()).isNotEmpty();
            assertThat(replayed.trace().hash()).as(strategy).isEqualTo(recorded.trace().hash());
            assertThat(replayed.choicesDiverged()).as(strategy).isEmpty();
            Sim seed99 = FaultWorlds.once(config.toBuilder().seed(99).build(), FaultDeterminismTest::busyWorld).sim();
            assertThat(seed99.trace().hash()).as("seed 99 itself, %s", strategy).isNotEqualTo(recorded.trace().hash());
        }
    }

    @Test
    void aRecordingThatRunsOutSaysWhereAndTheRunGoesOnWithDefaults() {
        Sim recorded = run(Guests.config(3).strategy("random").recordChoices(true).build());
        ChoiceRecording recording = recorded.choiceRecording();
        ChoiceRecording half = recording.prefix(recording.size() / 2);

        Sim replayed = run(Guests.config(3).strategy("random").replayChoices(half).build());

        assertThat(replayed.choicesDiverged()).hasValue("the run drew more than the " + half.size()
                + " choices recorded (the extra ones are 0): the recording ran out at choice " + half.size());
    }

    @Test
    void aRecordingThatDoesNotMatchTheRunNamesTheFirstChoiceThatDiffers() {
        Sim recorded = run(Guests.config(4).strategy("random").recordChoices(true).build());
        ChoiceRecording recording = recorded.choiceRecording();
        int[] bounds = new int[recording.size()];
        int[] values = new int[recording.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = recording.bound(i) + (i >= 5 ? 1 : 0); // from choice 5 on, recorded among one more option
            values[i] = recording.value(i);
        }

        Sim replayed = run(Guests.config(4).strategy("random").replayChoices(ChoiceRecording.of(bounds, values))
                .build());

        assertThat(replayed.choicesDiverged()).hasValueSatisfying(sentence -> assertThat(sentence)
                .startsWith("choice 5 was recorded among " + bounds[5] + " options but is drawn among "
                        + recording.bound(5) + " now")
                .endsWith("the run left its recording there"));
    }

    @Test
    void aWorldRecordsNothingUnlessAskedAndSaysHowToAsk() {
        Sim sim = run(Guests.config(5).build());
        assertThat(sim.config().choices()).isEqualTo(ChoiceSource.seeded());
        assertThat(sim.choicesDiverged()).isEmpty();
        assertThatThrownBy(sim::choiceRecording)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this world does not record its choices (its choice source is seeded); build its"
                        + " SimConfig with recordChoices(true) to read them");
    }

    @Test
    void replayChoicesKeepsTheRecordingSettingAndChoicesReplacesBoth() {
        ChoiceRecording recording = ChoiceRecording.of(new int[] {3}, new int[] {2});
        SimConfig.Builder builder = Guests.config(1).recordChoices(true).replayChoices(recording);
        assertThat(builder.build().choices()).isEqualTo(ChoiceSource.replay(recording).recorded());
        assertThat(builder.choices(ChoiceSource.seeded()).build().choices()).isEqualTo(ChoiceSource.seeded());
        assertThat(builder.build().toBuilder().build().choices()).isEqualTo(ChoiceSource.seeded());
    }
}
