package dev.parigot.sim.samples;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

/**
 * The record shop (ShopSample): a catalog in AssemblyScript, an inventory in Rust, a checkout
 * in C and a Java payment provider in one world. Three customers buy the last copy of a record
 * at once. The fixed checkout passes every seed; run the buggy one to see the oversell:
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ShopSimTest -Dshop.checkout=buggy</pre>
 */
class ShopSimTest {
    @ParigotSimTest(seeds = 1000)
    void neverOversells(Sim sim) {
        ShopSample.lastCopy(sim, ShopSample.checkout(sim), 3);
    }
}
