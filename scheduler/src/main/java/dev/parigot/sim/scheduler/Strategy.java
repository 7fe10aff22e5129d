package dev.parigot.sim.scheduler;

/**
 * Decides which enabled event runs next. One instance serves one world (strategies may keep
 * state, such as PCT's priorities) and must draw all its randomness from the world's
 * {@link ChoiceStream}, so that the same stream gives the same picks. A strategy only picks:
 * where the stream comes from (the seed, or a recording to replay) is the world's
 * {@link ChoiceSource}, so every strategy replays the same way.
 */
public interface Strategy {

    /** A short name printed with failures and accepted by {@link Strategies#named(String)}. */
    String name();

    /**
     * Called once per step with at least one candidate.
     *
     * @return an index in {@code 0..candidates.size()-1}
     */
    int pick(Candidates candidates, ChoiceStream choices);
}
