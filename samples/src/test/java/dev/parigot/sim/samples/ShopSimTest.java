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
 *
 * Eight orders under crashes, then under partitions; once the faults stop, both Orders replicas
 * must list every order a customer was told is placed. The Orders replica that answers before
 * its write is synced loses orders in crashes ({@code -Dshop.orders=ack-early}); the replicas
 * that send each order to each other only once disagree after a partition heals
 * ({@code -Dshop.orders=stale}).
 */
class ShopSimTest {
    static FaultProfile slowReplies() {
        return ShopSample.slowReplies();
    }

    static FaultProfile crashes() {
        return ShopSample.crashes();
    }

    static FaultProfile partitions() {
        return ShopSample.partitions();
    }

    @ParigotSimTest(seeds = 1000)
    void neverOversells(Sim sim) {
        ShopSample.lastCopy(sim, ShopSample.checkout(sim), 3);
    }

    @ParigotSimTest(seeds = 1000, faults = "slowReplies")
    void neverChargesTwice(Sim sim) {
        ShopSample.oneOrder(sim, ShopSample.checkout(sim));
    }

    /** Third bug, with -Dshop.orders=ack-early: an acknowledged order lost in a crash. */
    @ParigotSimTest(seeds = 1000, faults = "crashes")
    void acknowledgedOrdersSurviveCrashes(Sim sim) {
        ShopSample.ordersAreKept(sim, ShopSample.checkout(sim));
    }

    /** Fourth bug, with -Dshop.orders=stale: a replica still missing an order after the partition healed. */
    @ParigotSimTest(seeds = 1000, faults = "partitions")
    void replicasAgreeOnceThePartitionHeals(Sim sim) {
        ShopSample.ordersAreKept(sim, ShopSample.checkout(sim));
    }
}
