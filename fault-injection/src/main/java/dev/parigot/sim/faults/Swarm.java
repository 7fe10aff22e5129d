package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * Swarm testing as in TigerBeetle's VOPR: each seed picks its own subset of fault kinds and an
 * intensity for each, up to a ceiling profile, so that some seeds hammer one kind of fault and
 * others combine a few gently. Drawn at the start of a world from its choice stream; the
 * profile picked is printed with any failure.
 */
public final class Swarm {
    private static final double[] INTENSITY = {1.0, 0.5, 0.25};

    private Swarm() {
    }

    public static FaultProfile pick(FaultProfile ceiling, ChoiceStream choices) {
        FaultProfile.Builder b = FaultProfile.builder().label("swarm");
        // Durations come from the ceiling whether or not a family is on: faults at crash points use them too.
        b.clogging(0, ceiling.clogMin, ceiling.clogMax).crashes(0, ceiling.restartMin, ceiling.restartMax)
                .pauses(0, ceiling.pauseMin, ceiling.pauseMax);
        if (on(choices)) {
            b.latency(ceiling.latency);
        }
        if (on(choices)) {
            b.drop(ceiling.drop.scaled(level(choices)).value());
        }
        if (on(choices)) {
            b.duplicate(ceiling.duplicate.scaled(level(choices)).value());
        }
        if (on(choices)) {
            b.reorder(ceiling.reorder);
        }
        if (on(choices)) {
            b.partitions(ceiling.partition.scaled(level(choices)).value(), ceiling.partitionMin, ceiling.partitionMax);
        }
        if (on(choices)) {
            b.clogging(ceiling.clog.scaled(level(choices)).value(), ceiling.clogMin, ceiling.clogMax);
        }
        if (on(choices)) {
            b.crashes(ceiling.crash.scaled(level(choices)).value(), ceiling.restartMin, ceiling.restartMax);
        }
        if (on(choices)) {
            b.pauses(ceiling.pause.scaled(level(choices)).value(), ceiling.pauseMin, ceiling.pauseMax);
        }
        if (on(choices)) {
            b.clockSkew(ceiling.skewMax).clockDrift(ceiling.driftPpmMax);
        }
        if (on(choices)) {
            b.storage(ceiling.lostUnsynced.value(), ceiling.tornUnsynced.value(), ceiling.readError.value(),
                    ceiling.corruption.value());
        } else {
            // Off: no tearing, read errors or corruption; unsynced writes fare as the ceiling says, never worse.
            b.storage(ceiling.lostUnsynced.value(), 0, 0, 0);
        }
        if (on(choices)) {
            b.buggify(ceiling.buggify);
        }
        if (ceiling.crashPoints.any() && on(choices)) {
            b.crashPoints(ceiling.crashPoints.scaled(level(choices)));
        } else {
            b.crashPoints(CrashPoints.NONE.toBuilder().crashesMax(ceiling.crashPoints.crashesMax()).build());
        }
        return b.tick(ceiling.tick).build();
    }

    private static boolean on(ChoiceStream choices) {
        return choices.choose(2) == 1;
    }

    private static double level(ChoiceStream choices) {
        return INTENSITY[choices.choose(INTENSITY.length)];
    }
}
