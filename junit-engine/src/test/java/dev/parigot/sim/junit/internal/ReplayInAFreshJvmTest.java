package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static dev.parigot.sim.junit.internal.EngineRun.traceHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.internal.Fixtures.CountsUnderFaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;

/**
 * The whole promise: a failure found under swarm faults, PCT of depth 3 and a parameter of the
 * test's own, replayed by exactly the command it printed in a JVM that knows nothing of the
 * sweep, fails the same way with the same trace hash; and it needs all of what it printed.
 */
class ReplayInAFreshJvmTest {
    static final String REPLAY = "\n  replay (in junit-engine/): ";

    @TempDir
    Path dir;

    @Test
    void thePrintedCommandReplaysAFaultAndParameterDependentFailureInAFreshJvm() throws Exception {
        Event failed = failedSeeds(EngineRun.in(dir.resolve("sweep")).set(Settings.FAULTS, "swarm")
                .set(Settings.STRATEGY, "pct:3").set("counter.increments", "40").set(Settings.STOP, "first")
                .run(CountsUnderFaults.class)).get(0);
        String found = message(failed);
        String command = found.substring(found.indexOf(REPLAY) + REPLAY.length());
        command = command.substring(0, command.indexOf('\n'));
        List<String> words = words(command);
        assertThat(words.subList(0, 2)).containsExactly("mvn", "test");
        String test = words.get(2).substring("-Dtest=".length());
        List<String> settings = words.subList(3, words.size());
        assertThat(settings).allMatch(w -> w.startsWith("-D")).contains("-Dparigot.strategy=pct:3",
                "-Dparigot.faults=swarm", "-Dcounter.increments=40");

        List<String> replayed = replayInAFreshJvm(test, settings);

        assertThat(replayed).containsExactly("failed " + failed.getTestDescriptor().getDisplayName() + ": trace hash "
                + traceHash(found));

        // Each part of the command matters: without it the seed passes or runs another world.
        String seed = settings.get(0).substring("-Dparigot.seed=".length());
        for (String[] without : new String[][] {{Settings.STRATEGY, "mix"}, {Settings.FAULTS, "none"},
                {"counter.increments", "0"}}) {
            EngineRun run = EngineRun.in(dir.resolve("without-" + without[0])).set(Settings.SEED, seed)
                    .set(Settings.FAULTS, "swarm").set(Settings.STRATEGY, "pct:3").set("counter.increments", "40")
                    .set(without[0], without[1]);
            assertThat(failedSeeds(run.run(CountsUnderFaults.class))).as("without " + without[0])
                    .allSatisfy(e -> assertThat(traceHash(message(e))).isNotEqualTo(traceHash(found)));
        }
    }

    /** Runs {@link ReplayMain} in a new JVM with the command's -D settings; its failing seeds as it printed them. */
    private List<String> replayInAFreshJvm(String test, List<String> settings) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(settings);
        // Where this JVM keeps its failure memory: not in the module's target/.
        command.add("-D" + Settings.REPORTS + "=" + dir.resolve("fresh"));
        command.add("-D" + Settings.REGRESSIONS + "=" + dir.resolve("fresh/regressions.txt"));
        command.add("-D" + Settings.PROGRESS + "=0");
        command.add(ReplayMain.class.getName());
        command.add(test);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("failed ")).toList();
    }

    /** The words of a command line as a POSIX shell splits them (single quotes, backslash). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                }
                word = null;
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                word.append(line, i + 1, close);
                i = close;
            } else if (c == '\\') {
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
