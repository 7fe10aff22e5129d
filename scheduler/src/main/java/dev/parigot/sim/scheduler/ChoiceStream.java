package dev.parigot.sim.scheduler;

/**
 * All randomness of one world: a stream of bounded integer choices. Scheduling picks, network
 * latencies, drops, crashes, buggify decisions and the seeds of per-service byte generators all
 * draw from it, so a recording of the stream replays the whole run.
 *
 * <p>Choice 0 is "the boring default" (earliest event, no fault): a stream shrunk toward zeros is
 * a run shrunk toward the simplest one. A choice among one option draws nothing and records
 * nothing.
 */
public interface ChoiceStream {

    /** A choice in {@code 0..n-1}; {@code n} must be at least 1. */
    int choose(int n);

    /** True with probability {@code numerator/denominator}; false is the default (choice 0). */
    default boolean chance(int numerator, int denominator) {
        if (numerator <= 0) {
            return false;
        }
        if (numerator >= denominator) {
            return true;
        }
        return choose(denominator) >= denominator - numerator;
    }

    /** 60 bits built from two choices: used to seed a per-process byte generator. */
    default long chooseSeed() {
        long high = choose(1 << 30);
        long low = choose(1 << 30);
        return (high << 30) | low;
    }

    /**
     * Everything drawn so far, in order, from a stream that records
     * ({@link ChoiceSource#recorded()}). A stream that does not (a world's, by default) keeps
     * nothing, so a long run does not grow it, and refuses with an {@link IllegalStateException}
     * naming how to open a stream that records.
     */
    ChoiceRecording recording();

    /** How many choices have been drawn (those among one option excluded). */
    int position();

    /**
     * Where a stream that replays a recording first left it, as a sentence naming the choice;
     * empty while it follows its recording, and always for a stream drawn from a seed.
     */
    default java.util.Optional<String> divergence() {
        return java.util.Optional.empty();
    }
}
