package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** parigot.snapshots: on by default (nodes restore boot images), off boots every node; the same traces. */
class SnapshotsSettingTest {
    @TempDir
    Path dir;

    private static List<String> run(Path dir, String snapshots) {
        Fixtures.CountsBoots.RUN.clear();
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1");
        if (snapshots != null) {
            run.set(Settings.SNAPSHOTS, snapshots);
        }
        run.run(Fixtures.CountsBoots.class).testEvents().assertStatistics(s -> s.failed(0));
        List<String> lines = new ArrayList<>(Fixtures.CountsBoots.RUN);
        lines.sort(null);
        return lines;
    }

    private static String field(String line, int i) {
        return line.split(" ")[i];
    }

    @Test
    void byDefaultNodesRestoreBootImagesAndOffBootsThemAllWithTheSameTraces() {
        List<String> on = run(dir, null);
        List<String> off = run(dir, "off");
        assertThat(on).hasSize(6);
        assertThat(off).hasSize(6);
        // The module's image exists once any world of the JVM has booted it: at most the very first boot runs.
        int scratch = on.stream().mapToInt(line -> Integer.parseInt(field(line, 2))).sum();
        int restored = on.stream().mapToInt(line -> Integer.parseInt(field(line, 1))).sum();
        assertThat(scratch).isLessThanOrEqualTo(1);
        assertThat(restored + scratch).isEqualTo(12);
        assertThat(off).allSatisfy(line -> {
            assertThat(field(line, 1)).isEqualTo("0");
            assertThat(field(line, 2)).isEqualTo("2");
        });
        for (int i = 0; i < on.size(); i++) {
            assertThat(field(on.get(i), 0)).isEqualTo(field(off.get(i), 0));
            assertThat(field(on.get(i), 3)).as("trace hash of %s", field(on.get(i), 0))
                    .isEqualTo(field(off.get(i), 3));
        }
    }
}
