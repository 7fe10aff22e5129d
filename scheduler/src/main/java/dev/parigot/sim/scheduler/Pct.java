package dev.parigot.sim.scheduler;

import java.util.Arrays;

/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi and Nagarakatte, ASPLOS
 * 2010) over the world's processes: every process (actor) gets a random priority above
 * {@code depth}; at each step the enabled event of the highest-priority process runs; at
 * {@code depth - 1} random steps among the first {@code stepsExpected}, the process about to
 * run drops to priority 1, 2, .... A bug of depth d is found with probability at least
 * 1/(n·k^(d-1)) per run, for n processes and k steps.
 */
final class Pct implements Strategy {
    private final int depth;
    private final int stepsExpected;
    private long[] priority = new long[16];
    private boolean[] known = new boolean[16];
    private int[] changePoints;
    private int step;

    Pct(int depth, int stepsExpected) {
        if (depth < 1) {
            throw new IllegalArgumentException("PCT depth must be at least 1, got " + depth);
        }
        if (stepsExpected < 1) {
            throw new IllegalArgumentException("PCT steps must be at least 1, got " + stepsExpected);
        }
        this.depth = depth;
        this.stepsExpected = stepsExpected;
    }

    @Override
    public String name() {
        return "pct:" + depth;
    }


    @Override
    public int pick(Candidates candidates, ChoiceStream choices) {
        if (changePoints == null) {
            changePoints = new int[depth - 1];
            for (int i = 0; i < changePoints.length; i++) {
                changePoints[i] = 1 + choices.choose(stepsExpected);
            }
        }
        step++;
        int best = highest(candidates, choices);
        for (int i = 0; i < changePoints.length; i++) {
            if (changePoints[i] == step) {
                // The process about to run drops below every initial priority.
                priority[candidates.actor(best)] = i + 1;
                best = highest(candidates, choices);
            }
        }
        return best;
    }

    private int highest(Candidates candidates, ChoiceStream choices) {
        int best = 0;
        long bestPriority = Long.MIN_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            long p = priorityOf(candidates.actor(i), choices);
            if (p > bestPriority) {
                bestPriority = p;
                best = i;
            }
        }
        return best;
    }

    private long priorityOf(int actor, ChoiceStream choices) {
        if (actor >= known.length) {
            int n = Math.max(actor + 1, known.length * 2);
            known = Arrays.copyOf(known, n);
            priority = Arrays.copyOf(priority, n);
        }
        if (!known[actor]) {
            known[actor] = true;
            // Random and above every change-point priority; ties broken by actor order.
            priority[actor] = ((long) (depth + choices.choose(1 << 30)) << 20) - actor;
        }
        return priority[actor];
    }
}
