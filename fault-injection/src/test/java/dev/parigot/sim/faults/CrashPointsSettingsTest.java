package dev.parigot.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.faults.Swarm;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import org.junit.jupiter.api.Test;

/** The crash points' settings: validation, decisions from the stream (choice 0 = nothing), swarm scaling. */
class CrashPointsSettingsTest {
    static final CrashPoints.StepFacts CALL = new CrashPoints.StepFacts(true, false, false);
    static final CrashPoints.StepFacts NOTHING_SPECIAL = new CrashPoints.StepFacts(false, false, false);

    static ChoiceStream stream(long seed) {
        return ChoiceSource.seeded().open(Seed.of(seed));
    }

    @Test
    void everyProbabilityAndTheBudgetAreValidatedByName() {
        assertThatThrownBy(() -> CrashPoints.builder().afterCall(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("crash points afterCall = 1.5 is not a probability");
        assertThatThrownBy(() -> CrashPoints.builder().anyStep(-0.1))
                .hasMessageStartingWith("crash points anyStep = -0.1 is not a probability");
        assertThatThrownBy(() -> CrashPoints.builder().afterUnsyncedWrite(Double.NaN))
                .hasMessageStartingWith("crash points afterUnsyncedWrite = NaN is not a probability");
        assertThatThrownBy(() -> CrashPoints.builder().crashesMax(-1))
                .hasMessageStartingWith("crash points crashesMax = -1 is negative");
        assertThatThrownBy(() -> FaultProfile.builder().process(p -> p.crashPoints(null)))
                .hasMessageStartingWith("crash points must not be null");
    }

    @Test
    void noneDecidesNothingAndDrawsNoChoice() {
        ChoiceStream choices = stream(1);
        assertThat(CrashPoints.NONE.any()).isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(CrashPoints.NONE.decide(CALL, true, choices)).isEqualTo(CrashPoints.Decision.NOTHING);
        }
        ChoiceStream fresh = stream(1);
        assertThat(choices.choose(1_000_000)).isEqualTo(fresh.choose(1_000_000));
    }

    @Test
    void targetedPointsApplyOnlyWhereTheStepDidThatThing() {
        CrashPoints sure = CrashPoints.builder().afterCall(1).build();
        assertThat(sure.decide(CALL, true, stream(2))).isEqualTo(CrashPoints.Decision.CRASH);
        assertThat(sure.decide(NOTHING_SPECIAL, true, stream(2))).isEqualTo(CrashPoints.Decision.NOTHING);
        assertThat(CrashPoints.builder().afterReply(1).build().decide(new CrashPoints.StepFacts(false, false, true),
                true, stream(2))).isEqualTo(CrashPoints.Decision.CRASH);
        assertThat(CrashPoints.builder().afterUnsyncedWrite(1).build().decide(
                new CrashPoints.StepFacts(false, true, false), true, stream(2))).isEqualTo(CrashPoints.Decision.CRASH);
        assertThat(CrashPoints.builder().anyStep(1).build().decide(NOTHING_SPECIAL, true, stream(2)))
                .isEqualTo(CrashPoints.Decision.CRASH_ANY);
    }

    @Test
    void aSpentBudgetLeavesOnlyPausesAndClogs() {
        CrashPoints p = CrashPoints.builder().afterCall(1).pauseAtPoint(1).build();
        assertThat(p.decide(CALL, false, stream(3))).isEqualTo(CrashPoints.Decision.PAUSE);
        assertThat(CrashPoints.builder().afterCall(1).clogAtPoint(1).build().decide(CALL, false, stream(3)))
                .isEqualTo(CrashPoints.Decision.CLOG);
    }

    @Test
    void decisionsFollowTheirProbabilityAndRepeatPerSeed() {
        CrashPoints p = CrashPoints.builder().afterCall(0.1).build();
        int crashes = 0;
        ChoiceStream a = stream(4);
        ChoiceStream b = stream(4);
        for (int i = 0; i < 10_000; i++) {
            CrashPoints.Decision d = p.decide(CALL, true, a);
            assertThat(p.decide(CALL, true, b)).isEqualTo(d);
            crashes += d == CrashPoints.Decision.CRASH ? 1 : 0;
        }
        assertThat(crashes).isBetween(800, 1200);
    }

    @Test
    void theDefaultProfileHasCrashPointsAndSwarmTurnsThemOnOrOffPerSeed() {
        assertThat(FaultProfile.defaults().process().crashPoints()).isEqualTo(CrashPoints.defaults());
        int on = 0;
        for (long seed = 0; seed < 200; seed++) {
            FaultProfile picked = Swarm.pick(FaultProfile.defaults(), stream(seed));
            assertThat(picked.process().crashPoints().crashesMax()).isEqualTo(3);
            if (picked.process().crashPoints().any()) {
                on++;
                assertThat(picked.process().crashPoints().afterUnsyncedWrite.value())
                        .isIn(0.03, 0.015, 0.0075);
            }
        }
        assertThat(on).isBetween(70, 130);
    }
}
