package dev.parigot.sim.samples;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

/**
 * The record shop (ShopSample): a catalog in AssemblyScript, an inventory in Rust, a checkout
 * in C and a Java payment provider in one world. Three customers buy the last copy of a record
 * at once. The fixed checkout passes every seed; run the buggy one to see the oversell:
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ShopSimTest -Dshop.checkout=buggy</pre>
 *
 * One buyer places one order over a network with a long latency tail: the checkout retries a
 * Charge that missed its deadline, and must not charge twice. Run the buggy retry (a new
 * idempotency key per attempt) to see the double charge:
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest='ShopSimTest#neverChargesTwice' -Dshop.payment=buggy</pre>
 */
class ShopSimTest {
    static FaultProfile slowReplies() {
        return ShopSample.slowReplies();
    }

    @ParigotSimTest(seeds = 1000)
    void neverOversells(Sim sim) {
        ShopSample.lastCopy(sim, ShopSample.checkout(sim), 3);
    }

    @ParigotSimTest(seeds = 1000, faults = "slowReplies")
    void neverChargesTwice(Sim sim) {
        ShopSample.oneOrder(sim, ShopSample.checkout(sim));
    }
}
