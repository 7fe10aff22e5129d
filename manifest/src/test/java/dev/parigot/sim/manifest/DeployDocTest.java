package dev.parigot.sim.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The manifests docs/deploy.md shows are manifests that read, with the samples' modules. */
class DeployDocTest {
    @Test
    void everyYamlExampleOfTheDeployPageReadsWithTheSamplesModules() throws IOException {
        String page = Files.readString(Path.of("../docs/deploy.md"));
        List<String> examples = new ArrayList<>();
        Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (block.find()) {
            examples.add(block.group(1));
        }

        assertThat(examples).hasSize(2);
        assertThat(Manifest.parse(examples.get(0), Guests.SAMPLES).nodes()).extracting(Manifest.Node::name)
                .containsExactly("ledger", "teller");
        Manifest larger = Manifest.parse(examples.get(1), Guests.SAMPLES);
        assertThat(larger.nodes()).extracting(Manifest.Node::name, Manifest.Node::unit).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gateway", "edge"),
                org.assertj.core.groups.Tuple.tuple("store-1", "store"),
                org.assertj.core.groups.Tuple.tuple("store-2", "store"),
                org.assertj.core.groups.Tuple.tuple("store-3", "store"));
        assertThat(larger.node("gateway").environment()).containsEntry("TIMEOUT_MS", "250");
    }

    @Test
    void theBankExampleIsTheSamplesManifest() throws IOException {
        String page = Files.readString(Path.of("../docs/deploy.md"));
        String file = Files.readString(Guests.SAMPLES.resolve("bank.yaml"));
        String withoutComments = file.lines().map(line -> line.replaceAll("\\s*#.*$", ""))
                .filter(line -> !line.isBlank()).reduce("", (a, b) -> a + b + "\n");

        assertThat(page).contains("```yaml\n" + withoutComments + "```");
    }
}
