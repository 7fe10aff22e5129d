package dev.parigot.sim.faults.internal;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.scheduler.ChoiceStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The random process faults, partitions and clogs of one world, decided at each tick of
 * virtual time: each kind happens with its probability, its victim and duration drawn from the
 * choice stream. Choice 0 everywhere means "nothing happens".
 */
public final class FaultInjector {
    private final FaultProfile profile;

    public FaultInjector(FaultProfile profile) {
        this.profile = profile;
    }

    public void tick(FaultTarget world, ChoiceStream choices) {
        if (world.crashAllowed() && profile.process().crashes().happens(choices)) {
            int node = pick(world, choices);
            if (node >= 0) {
                world.crash(node, profile.process().restartDelay().drawNanos(choices));
            }
        }
        if (profile.process().pauses().happens(choices)) {
            int node = pick(world, choices);
            if (node >= 0) {
                world.pause(node, profile.process().pauseDuration().drawNanos(choices));
            }
        }
        if (profile.network().partitions().happens(choices) && !world.partitioned()) {
            List<Integer> a = new ArrayList<>();
            List<Integer> b = new ArrayList<>();
            for (int i = 0; i < world.nodeCount(); i++) {
                (choices.choose(2) == 0 ? a : b).add(i);
            }
            if (!a.isEmpty() && !b.isEmpty()) {
                boolean oneWay = choices.choose(2) == 1;
                world.partition(toArray(a), toArray(b), oneWay,
                        profile.network().partitionDuration().drawNanos(choices));
            }
        }
        if (profile.network().clogging().happens(choices)) {
            int node = pick(world, choices);
            if (node >= 0) {
                world.clog(node, profile.network().clogDuration().drawNanos(choices));
            }
        }
    }

    /** A random faultable node, or -1 if there is none. */
    private static int pick(FaultTarget world, ChoiceStream choices) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < world.nodeCount(); i++) {
            if (world.faultable(i)) {
                nodes.add(i);
            }
        }
        return nodes.isEmpty() ? -1 : nodes.get(choices.choose(nodes.size()));
    }

    private static int[] toArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
