package dev.parigot.sim.reports;

/**
 * One assertion of the guests or the test ({@code always}, {@code sometimes}, {@code reachable},
 * {@code unreachable}) over every seed run: how often it was reached and how often it held.
 *
 * @param assertion its kind and text, as a failure names it ({@code sometimes "the retry path"})
 * @param reached the times it was reached, over every seed
 * @param satisfied the times it held when reached
 */
public record AssertionReport(String assertion, long reached, long satisfied) {
}
