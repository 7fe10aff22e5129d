/**
 * Classes for the engine's discovery tests to find by package: what a classpath scan must pick
 * up (top-level, nested static and inheriting classes) and what it must leave (abstract classes,
 * classes without {@code @ParigotSimTest} methods). Not named *Test, so Surefire never runs them.
 */
package dev.parigot.sim.junit.scan;
