package dev.parigot.sim.samples;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;

/**
 * The bank sample as users write simulation tests. It runs the fixed Teller, which passes
 * every seed; run it against the buggy Teller to see a failure, its replay command, and the
 * same failure again when you paste that command:
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=BankDepositSimTest -Dbank.teller=buggy</pre>
 */
class BankDepositSimTest {
    @ParigotSimTest(seeds = 1000)
    void moneyIsConserved(Sim sim) {
        // A test parameter read through the world is recorded, and printed in the replay command.
        GuestModule teller = "buggy".equals(sim.parameter("bank.teller", "fixed"))
                ? BankSample.buggyTeller() : BankSample.fixedTeller();
        BankSample.concurrentDeposits(sim, teller);
    }
}
