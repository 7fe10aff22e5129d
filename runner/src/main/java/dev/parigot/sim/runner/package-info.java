/**
 * The same guests as OS processes: {@link dev.parigot.sim.runner.UnitHost} runs one unit's nodes
 * in one world driven by the wall clock and serves their services over gRPC;
 * {@link dev.parigot.sim.runner.Launcher} is the command line that runs one unit or starts several
 * as child processes. See docs/runner.md.
 */
package dev.parigot.sim.runner;
