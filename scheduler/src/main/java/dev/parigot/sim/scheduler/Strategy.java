package dev.parigot.sim.scheduler;

/**
 * Decides which enabled event runs next. One instance serves one world (strategies may keep
 * state, such as PCT's priorities) and must draw all its randomness from the world's
 * {@link ChoiceStream}, so that the same stream gives the same picks.
 */
public interface Strategy {

    /** A short name printed with failures and accepted by {@link Strategies#named(String)}. */
    String name();

    /**
     * The stream a world run under this strategy draws from: by default drawn from the seed and
     * unrecorded ({@link SeededChoices#unrecorded(Seed)}), since the world replays from its seed.
     */
    default ChoiceStream newChoices(Seed seed) {
        return SeededChoices.unrecorded(seed);
    }

    /**
     * Called once per step with at least one candidate.
     *
     * @return an index in {@code 0..candidates.size()-1}
     */
    int pick(Candidates candidates, ChoiceStream choices);
}
