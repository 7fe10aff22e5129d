package dev.parigot.sim.scheduler;

/**
 * The events a strategy may pick from at one step, in the kernel's canonical order (earliest
 * delivery time first, then by sequence number). Index 0 is always the FIFO choice.
 */
public interface Candidates {

    /** How many events may run next (at least 1 when a strategy is asked). */
    int size();

    /**
     * The process (node) that would run the candidate: strategies that prioritise processes,
     * such as PCT, key on it. Stable within a world.
     */
    int actor(int index);
}
