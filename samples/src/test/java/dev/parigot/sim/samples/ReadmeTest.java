package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Java example is BankSample.concurrentDeposits, verbatim: it compiles because that does;
 * its failure report has the steps and trace hash that scenario gives for its seed.
 */
class ReadmeTest {
    @Test
    void readmeShowsTheBankScenarioExactlyAsItCompiles() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/parigot/sim/samples/BankSample.java"));
        String body = source.substring(source.indexOf("// README:begin"), source.indexOf("    // README:end"));
        body = body.substring(body.indexOf('\n') + 1).replaceAll("(?m)^    ", "");
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("```java\n" + body + "```");
    }

    @Test
    void readmeFailureReportHasTheStepsAndTraceHashOfItsSeed() throws IOException {
        Sim sim = SeedHash.run(Seed.FIRST);
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("seed " + Seed.FIRST + " failed after " + sim.steps() + " steps")
                .contains("  trace hash " + sim.trace().hashText() + "\n");
    }
}
