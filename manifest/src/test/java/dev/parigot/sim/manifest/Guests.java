package dev.parigot.sim.manifest;

import java.nio.file.Path;

/** Committed modules the tests name in manifests: the samples' and the kernel's test guests. */
final class Guests {
    /** The samples' modules (bank: ledger, teller, teller_fixed; rkv_fixed; checkout). */
    static final Path SAMPLES = Path.of("../samples/src/main/resources/guests").toAbsolutePath().normalize();
    /** The kernel's test guests (cycle_a/b/c, needs_missing, echo). */
    static final Path KERNEL = Path.of("../sim-kernel/src/test/resources/guests").toAbsolutePath().normalize();

    private Guests() {
    }

    /** The manifest text with {@code $SAMPLES} and {@code $KERNEL} replaced by those directories. */
    static String text(String yaml) {
        return yaml.replace("$SAMPLES", SAMPLES.toString()).replace("$KERNEL", KERNEL.toString());
    }
}
