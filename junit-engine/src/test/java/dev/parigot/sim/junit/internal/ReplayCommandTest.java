package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay commands as a shell reads them, and the module a build runs its tests in. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    @Test
    void wordsAreQuotedOnlyWhenTheShellNeedsItAndReadBackAsWritten() {
        assertThat(ShellWords.define("parigot.strategy", "pct:3")).isEqualTo("-Dparigot.strategy=pct:3");
        assertThat(ShellWords.define("raft.wasm", "target/raft-1.wasm")).isEqualTo("-Draft.wasm=target/raft-1.wasm");
        assertThat(ShellWords.define("test", "Outer$Inner#m")).isEqualTo("-Dtest='Outer$Inner#m'");
        assertThat(ShellWords.define("note", "")).isEqualTo("-Dnote=''");
        assertThat(ShellWords.define("note", "it's a $HOME `x`")).isEqualTo("-Dnote='it'\\''s a $HOME `x`'");

        List<String> words = new ArrayList<>();
        String line = "-Da=1 -Dnote='it'\\''s a $HOME `x`' -Dtest='Outer$Inner#m' -Dempty='' rest";
        for (ShellWords.Word w = ShellWords.next(line, 0); w != null; w = ShellWords.next(line, w.end())) {
            words.add(w.text());
        }
        assertThat(words).containsExactly("-Da=1", "-Dnote=it's a $HOME `x`", "-Dtest=Outer$Inner#m", "-Dempty=",
                "rest");
        assertThat(ShellWords.next("-Dx='open", 0)).isNull();
    }

    @Test
    void aRecordReadsBackFromItsArgumentsAndRefusesWhatIsNotAWorldSetting() {
        RunRecord record = new RunRecord(Map.of(Settings.FAULTS, "swarm", Settings.STRATEGY, "pct:3"),
                Map.of("note", "a b", "raft.wasm", "x.wasm"));

        assertThat(record.arguments()).containsExactly("-Dparigot.strategy=pct:3", "-Dparigot.faults=swarm",
                "-Dnote='a b'", "-Draft.wasm=x.wasm");
        List<String> read = new ArrayList<>();
        String text = String.join(" ", record.arguments());
        for (ShellWords.Word w = ShellWords.next(text, 0); w != null; w = ShellWords.next(text, w.end())) {
            read.add(w.text());
        }
        assertThat(RunRecord.parse(read)).isEqualTo(record);
        assertThat(record.world().strategy()).isEqualTo("pct:3");
        assertThat(record.world().parameters()).containsEntry("note", "a b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunRecord.parse(List.of("-Dparigot.stop=first")))
                .hasMessageStartingWith("parigot.stop is not recorded with a seed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunRecord.parse(List.of("strategy=fifo")))
                .hasMessage("'strategy=fifo' is not a setting; write -D<name>=<value>");
    }

    @Test
    void theModuleIsTheWorkingDirectoryFromTheTopmostPomThatListsIt() throws Exception {
        EngineRun.write(dir.resolve("pom.xml"), "<modules><module>services</module></modules>");
        EngineRun.write(dir.resolve("services/pom.xml"), "<modules><module>ledger</module></modules>");
        EngineRun.write(dir.resolve("services/ledger/pom.xml"), "<project/>");
        EngineRun.write(dir.resolve("alone/pom.xml"), "<project/>");

        assertThat(ReplayCommand.moduleOfWorkingDirectory(dir.resolve("services/ledger"))).isEqualTo("services/ledger");
        assertThat(ReplayCommand.moduleOfWorkingDirectory(dir.resolve("services"))).isEqualTo("services");
        assertThat(ReplayCommand.moduleOfWorkingDirectory(dir)).isNull();
        assertThat(ReplayCommand.moduleOfWorkingDirectory(dir.resolve("alone"))).isNull();
    }
}
