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

    /**
     * The profile one world runs with under swarm testing: each fault family of {@code ceiling} on
     * or off, and each probability that is on at full, half or a quarter of the ceiling's, drawn
     * from {@code choices} in a fixed order; latency, clock and storage settings, durations, tick
     * and crash budget are the ceiling's (storage off keeps only its lost-unsynced chance).
     * Labelled "swarm". For the kernel, which calls it at the start of each world whose
     * configuration turns swarm on.
     */
    public static FaultProfile pick(FaultProfile ceiling, ChoiceStream choices) {
        NetworkFaults net = ceiling.network();
        ProcessFaults proc = ceiling.process();
        StorageFaults disk = ceiling.storage();
        // Durations come from the ceiling whether or not a family is on: faults at crash points use them too.
        NetworkFaults.Builder n = NetworkFaults.NONE.toBuilder().partitionDuration(net.partitionDuration().min(),
                net.partitionDuration().max()).clogDuration(net.clogDuration().min(), net.clogDuration().max());
        ProcessFaults.Builder p = ProcessFaults.NONE.toBuilder().restartDelay(proc.restartDelay().min(),
                proc.restartDelay().max()).pauseDuration(proc.pauseDuration().min(), proc.pauseDuration().max());
        FaultProfile.Builder b = FaultProfile.builder().label("swarm");
        // The draws, in this order, are part of every swarm seed's meaning: do not reorder them.
        if (on(choices)) {
            n.latency(net.latency());
        }
        if (on(choices)) {
            n.drop(net.drop().scaled(level(choices)).value());
        }
        if (on(choices)) {
            n.duplicate(net.duplicate().scaled(level(choices)).value());
        }
        if (on(choices)) {
            n.reorder(net.reorder());
        }
        if (on(choices)) {
            n.partitions(net.partitions().scaled(level(choices)).value());
        }
        if (on(choices)) {
            n.clogging(net.clogging().scaled(level(choices)).value());
        }
        if (on(choices)) {
            p.crashes(proc.crashes().scaled(level(choices)).value());
        }
        if (on(choices)) {
            p.pauses(proc.pauses().scaled(level(choices)).value());
        }
        if (on(choices)) {
            b.clock = ceiling.clock();
        }
        if (on(choices)) {
            b.storage = disk;
        } else {
            // Off: no tearing, read errors or corruption; unsynced writes fare as the ceiling says, never worse.
            b.storage(s -> s.lostUnsynced(disk.lostUnsynced().value()));
        }
        if (on(choices)) {
            b.buggify(ceiling.buggify());
        }
        if (proc.crashPoints().any() && on(choices)) {
            p.crashPoints(proc.crashPoints().scaled(level(choices)));
        } else {
            p.crashPoints(CrashPoints.NONE.toBuilder().crashesMax(proc.crashPoints().crashesMax()).build());
        }
        b.network = n.build();
        b.process = p.build();
        return b.tick(ceiling.tick()).build();
    }

    private static boolean on(ChoiceStream choices) {
        return choices.choose(2) == 1;
    }

    private static double level(ChoiceStream choices) {
        return INTENSITY[choices.choose(INTENSITY.length)];
    }
}
