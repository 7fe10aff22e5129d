package dev.parigot.sim.junit.scan;

/** No @ParigotSimTest method: not a test class for this engine. */
public class NoSimMethods {
    void helper() {
    }
}
