package dev.parigot.sim.scheduler;

import java.util.List;
import java.util.Locale;

/** The built-in strategies. Each call returns a fresh instance for one world. */
public final class Strategies {
    private Strategies() {
    }

    /** The names {@link #named(String)} accepts. */
    public static final List<String> NAMES = List.of("fifo", "random", "pct", "pct:<depth>", "mix");

    /** Earliest event first, ties by sequence number: the run a plain event loop would make. */
    public static Strategy fifo() {
        return new Fifo();
    }

    /** A uniformly random pick among the enabled events at every step. */
    public static Strategy randomWalk() {
        return new RandomWalk();
    }

    /** PCT with bug depth {@code depth}, change points among the first {@code stepsExpected} steps. */
    public static Strategy pct(int depth, int stepsExpected) {
        return new Pct(depth, stepsExpected);
    }

    /** The default mix: each world draws random walk, or PCT of depth 1, 2 or 3 (one in four each). */
    public static Strategy mix() {
        return new Mix();
    }

    /** Looks a strategy up by name, with an error that lists the names known. */
    public static Strategy named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "fifo":
                return fifo();
            case "random":
            case "random-walk":
            case "randomwalk":
                return randomWalk();
            case "pct":
                return pct(3, PCT_STEPS_DEFAULT);
            case "mix":
                return mix();
            default:
                if (key.startsWith("pct:")) {
                    try {
                        int depth = Integer.parseInt(key.substring(4));
                        if (depth >= 1 && depth <= 100) {
                            return pct(depth, PCT_STEPS_DEFAULT);
                        }
                    } catch (NumberFormatException e) {
                        // fall through to the error
                    }
                    throw new IllegalArgumentException("'" + name + "' is not a PCT strategy: write pct:<depth> with"
                            + " a depth from 1 to 100, e.g. pct:3");
                }
                throw new IllegalArgumentException("unknown strategy '" + name + "'; use one of "
                        + NAMES);
        }
    }

    /** PCT's change points fall among this many steps unless told otherwise. */
    public static final int PCT_STEPS_DEFAULT = 1_000;

    static final class Mix implements Strategy {
        private Strategy chosen;

        @Override
        public String name() {
            return chosen == null ? "mix" : "mix/" + chosen.name();
        }

        @Override
        public int pick(Candidates candidates, ChoiceStream choices) {
            if (chosen == null) {
                int c = choices.choose(4);
                chosen = c == 0 ? new RandomWalk() : new Pct(c, PCT_STEPS_DEFAULT);
            }
            return chosen.pick(candidates, choices);
        }
    }

    static final class Fifo implements Strategy {
        @Override
        public String name() {
            return "fifo";
        }

        @Override
        public int pick(Candidates candidates, ChoiceStream choices) {
            return 0;
        }
    }

    static final class RandomWalk implements Strategy {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public int pick(Candidates candidates, ChoiceStream choices) {
            return choices.choose(candidates.size());
        }
    }
}
