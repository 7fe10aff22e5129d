package dev.parigot.sim.kernel;

/** Why a world failed. */
public enum FailureKind {
    /** An assertion in test code or an ABI {@code assert} of kind always/unreachable. */
    ASSERTION,
    /** An invariant registered with {@link Sim#invariant} did not hold after a step. */
    INVARIANT,
    /** A guest trapped (unreachable, out-of-bounds access, stack exhaustion, ...). */
    TRAP,
    /** A guest broke ABI v1 (a range outside its memory, a bad name, an oversized payload). */
    GUEST_FAULT,
    /** A handler ran longer than the wall-clock limit: it never returned. */
    HANG,
    /** Boot failed: a bad module, a missing service, a cycle, start or ready refused. */
    BOOT,
    /** A node exited with a non-zero code the test did not expect. */
    EXIT,
    /** The world hit a step, virtual-time or wall-clock limit before its goal. */
    LIMIT,
    /** Test code or a Java service threw. */
    TEST_CODE,
    /**
     * The JVM ran out of heap while the world ran (an {@link OutOfMemoryError} in guest code, a
     * Java service or the kernel): a failure of the machine's resources as much as of the seed.
     */
    RESOURCE
}
