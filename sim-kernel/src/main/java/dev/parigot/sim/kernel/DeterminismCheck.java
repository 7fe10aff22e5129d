package dev.parigot.sim.kernel;

import java.util.Optional;

/**
 * Runs one scenario twice under the same configuration and compares the traces step by step:
 * the kernel checking itself. A divergence names the first step where the runs differ.
 */
public final class DeterminismCheck {

    /** What a scenario does with a fresh world. */
    @FunctionalInterface
    public interface Scenario {
        /** Builds and drives {@code sim}; a world failure it causes is part of the run, not an error. */
        void run(Sim sim) throws Exception;
    }

    /**
     * The outcome: both trace hashes and, if they differ, the first divergent step of each run.
     *
     * @param firstHash the first run's trace hash
     * @param secondHash the second run's trace hash
     * @param steps the first run's step count
     * @param divergentStep the first step (1-based) where the runs differ, or -1 if none
     * @param firstStep that step as the first run recorded it ("" if none)
     * @param secondStep that step as the second run recorded it ("" if none)
     */
    public record Result(long firstHash, long secondHash, long steps, long divergentStep, String firstStep,
            String secondStep) {

        /** Whether both runs made the same trace, step for step. */
        public boolean deterministic() {
            return divergentStep < 0;
        }

        /**
         * One sentence for a user: the step count and trace hash if deterministic, else the first
         * divergent step and that step as each run recorded it.
         */
        public String describe() {
            if (deterministic()) {
                return String.format("deterministic: %,d steps, trace hash %016x both times", steps, firstHash);
            }
            return "NOT deterministic: the runs diverge at step " + divergentStep + System.lineSeparator()
                    + "  first run:  " + firstStep + System.lineSeparator()
                    + "  second run: " + secondStep;
        }
    }

    private DeterminismCheck() {
    }

    /**
     * Runs {@code scenario} in two fresh worlds with {@code config} and compares their traces step
     * by step ({@link Trace#firstDivergence}). A world failure is part of a run and is compared
     * like the rest; both worlds are closed afterwards.
     *
     * @throws IllegalStateException if {@code scenario} throws something other than a world failure
     */
    public static Result check(SimConfig config, Scenario scenario) {
        Sim a = runOnce(config, scenario);
        a.close(); // its trace stays readable; its instances serve the second run
        Sim b = runOnce(config, scenario);
        b.close();
        long step = Trace.firstDivergence(a.trace(), b.trace());
        return new Result(a.trace().hash(), b.trace().hash(), a.trace().steps(), step,
                describe(a.trace(), step), describe(b.trace(), step));
    }

    /** Runs the scenario in a fresh world; a world failure is part of the run, not an error here. */
    public static Sim runOnce(SimConfig config, Scenario scenario) {
        Sim sim = Sim.create(config);
        inWorld("the scenario", () -> {
            scenario.run(sim);
            return null;
        });
        return sim;
    }

    /**
     * Runs test code against a world: a world failure is part of the run (recorded in the world;
     * null is returned), anything else {@code who} throws is an error outside it.
     */
    static <T> T inWorld(String who, java.util.concurrent.Callable<T> code) {
        try {
            return code.call();
        } catch (SimFailureException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(who + " threw outside the world: " + e, e);
        }
    }

    private static String describe(Trace trace, long step) {
        if (step < 0) {
            return "";
        }
        return Optional.of(step).filter(trace::retains).map(s -> trace.step(s).toString())
                .orElse(step > trace.steps() ? "(the run ended after " + trace.steps() + " steps)"
                        : "(step not kept)");
    }
}
