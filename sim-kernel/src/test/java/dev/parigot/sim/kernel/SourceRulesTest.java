package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The determinism rules, checked on the source: simulation code draws time and randomness from
 * the world, never from the machine. A line that must (the hang watchdog) says why with a
 * trailing "// nondeterminism-ok: ..." comment.
 */
class SourceRulesTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "System\\.(currentTimeMillis|nanoTime)\\(|Math\\.random\\(|new Random\\(|ThreadLocalRandom|SecureRandom"
                    + "|Instant\\.now\\(|Clock\\.system|UUID\\.randomUUID|identityHashCode|parallelStream\\("
                    + "|new Thread\\(|Executors\\.");

    @Test
    void simulationCodeReadsNoWallClockRandomnessOrThreadsUnlessMarked() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String module : List.of("../scheduler/src/main/java", "src/main/java")) {
            try (Stream<Path> files = Files.walk(Path.of(module))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (FORBIDDEN.matcher(line).find() && !line.contains("nondeterminism-ok")) {
                            offences.add(file + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                }
            }
        }
        assertThat(offences).as("lines that read real time, real randomness or threads").isEmpty();
    }
}
