package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Java example is BankSample.concurrentDeposits, verbatim: it compiles because that does. */
class ReadmeTest {
    @Test
    void readmeShowsTheBankScenarioExactlyAsItCompiles() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/parigot/sim/samples/BankSample.java"));
        String body = source.substring(source.indexOf("// README:begin"), source.indexOf("    // README:end"));
        body = body.substring(body.indexOf('\n') + 1).replaceAll("(?m)^    ", "");
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("```java\n" + body + "```");
    }
}
