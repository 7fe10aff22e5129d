package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Same seed, same trace: in another JVM, and with one or two worlds running at once. */
class DeterminismTest {
    static final List<Seed> SEEDS = List.of(Seed.FIRST, Seed.FIRST.plus(1), Seed.FIRST.plus(2), Seed.of(42),
            Seed.parse("0xdeadbeefcafef00d"));

    @Test
    void theSameSeedGivesTheSameTraceHashInASeparateJvm() throws Exception {
        List<String> here = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (Seed seed : SEEDS) {
            Sim sim = SeedHash.run(seed);
            here.add(seed + " " + sim.steps() + " " + sim.trace().hashText());
            args.add(seed.toString());
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Xint", SeedHash.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out.lines().toList()).isEqualTo(here);
    }

    @Test
    void twoWorldsRunningAtOnceGiveTheSameHashesAsOneAtATime() throws Exception {
        List<String> sequential = new ArrayList<>();
        for (Seed seed : SEEDS) {
            sequential.add(SeedHash.run(seed).trace().hashText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<String>> futures = new ArrayList<>();
                for (Seed seed : SEEDS) {
                    futures.add(pool.submit(() -> SeedHash.run(seed).trace().hashText()));
                }
                List<String> concurrent = new ArrayList<>();
                for (Future<String> f : futures) {
                    concurrent.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(concurrent).isEqualTo(sequential);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentSeedsInterleaveDifferently() {
        assertThat(SEEDS.stream().map(s -> SeedHash.run(s).trace().hashText()).distinct().count()).isGreaterThan(1);
    }

}
