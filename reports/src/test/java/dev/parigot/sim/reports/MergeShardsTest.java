package dev.parigot.sim.reports;

import static dev.parigot.sim.reports.Reports.shard;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: directories in, one report per method and one failure memory out, or a refusal. */
class MergeShardsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mergeShards(String... args) {
        return MergeShards.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void directoriesOfShardsMergeIntoOneReportAndOneFailureMemory() throws IOException {
        for (int i = 1; i <= 3; i++) {
            Path reports = dir.resolve("shard-" + i);
            ReportJson.write(reports, shard(i, 3, 9, 2, 4));
            Files.writeString(reports.resolve("failures.txt"), i == 1 ? "" : "X#m 0x5eed00000000000" + (i == 2 ? 4 : 2)
                    + " -Dparigot.strategy=pct:3 ASSERTION no\nX#m 0x5eed000000000099 ASSERTION seen twice\n");
        }
        Path merged = dir.resolve("merged");

        int exit = mergeShards("-o", merged.toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-2").toString(), dir.resolve("shard-3").toString());

        assertThat(exit).as(err.toString()).isZero();
        MethodReport report = ReportJson.read(merged.resolve(Reports.CLASS + "#" + Reports.METHOD + ".json"));
        assertThat(report.seedsRun()).isEqualTo(9);
        assertThat(report.failures()).extracting(FailureReport::seed).containsExactly("0x5eed000000000002",
                "0x5eed000000000004");
        assertThat(out.toString()).contains(Reports.CLASS + "#" + Reports.METHOD + ": 9 of 9 seeds of the sweep from"
                + " 0x5eed000000000000 ran in 3 shards, 2 failing")
                .contains("  seed 0x5eed000000000002 ASSERTION: \"money is conserved\" does not hold:\n"
                        + "    replay: mvn test -Dtest='BankSimTest#moneyIsConserved' -Dparigot.seed=0x5eed000000000002");
        assertThat(Files.readAllLines(merged.resolve("failures.txt"))).containsExactly(
                "X#m 0x5eed000000000004 -Dparigot.strategy=pct:3 ASSERTION no",
                "X#m 0x5eed000000000099 ASSERTION seen twice",
                "X#m 0x5eed000000000002 -Dparigot.strategy=pct:3 ASSERTION no");
    }

    @Test
    void theFilesOfTheFailuresAreCopiedIntoTheMergeAndTheMergedReportAndIndexNameTheCopies() throws IOException {
        // Each shard's machine wrote its files under target/parigot-sim/runs/; collected, they are under shard-i/runs/.
        for (int i = 1; i <= 3; i++) {
            MethodReport r = shard(i, 3, 9, 2, 4);
            ReportJson.write(dir.resolve("shard-" + i), r);
            for (FailureReport f : r.failures()) {
                for (String file : List.of(f.traceFile(), f.timelineFile(), f.shrunk().choicesFile())) {
                    Path collected = dir.resolve("shard-" + i).resolve(file.substring(file.indexOf("runs/")));
                    Files.createDirectories(collected.getParent());
                    Files.writeString(collected, "from shard " + i);
                }
            }
        }
        Path merged = dir.resolve("merged");

        int exit = mergeShards("-o", merged.toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-2").toString(), dir.resolve("shard-3").toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("files: 6 trace, timeline and choices files of the failures -> "
                + merged.resolve("runs"));
        MethodReport report = ReportJson.read(merged.resolve(Reports.CLASS + "#" + Reports.METHOD + ".json"));
        for (FailureReport f : report.failures()) {
            assertThat(Path.of(f.timelineFile())).isEqualTo(merged.resolve("runs/x/" + f.seed() + ".html"))
                    .hasContent("from shard " + (f.seed().endsWith("2") ? 3 : 2));
            assertThat(Path.of(f.traceFile())).exists();
            assertThat(Path.of(f.shrunk().choicesFile())).exists();
            // The shrunk run's replay names the copy, quoted for the shell.
            assertThat(f.shrunk().replay()).endsWith(" -Dparigot.replay='" + f.shrunk().choicesFile() + "'");
        }
        String index = Files.readString(merged.resolve("index.html"));
        assertThat(index).contains("href=\"runs/x/0x5eed000000000002.html\"")
                .contains("href=\"runs/x/0x5eed000000000004.txt\"");
    }

    @Test
    void manyFailuresAreCountedByCauseAndListedUpToALimit() {
        long[] failing = new long[25];
        for (int i = 0; i < failing.length; i++) {
            failing[i] = i;
        }
        for (int i = 1; i <= 2; i++) {
            ReportJson.write(dir.resolve("shard-" + i), shard(i, 2, 30, failing));
        }

        int exit = mergeShards("-o", dir.resolve("merged").toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-2").toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("  25 failing seeds, 1 cause:\n"
                        + "        25  ASSERTION: \"money is conserved\" does not hold (first: seed 0x5eed000000000000)\n")
                .contains("  ... and 5 more failing seeds, each with its replay in ");
        assertThat(out.toString().lines().filter(l -> l.startsWith("    replay: "))).hasSize(MergeShards.LISTED_MAX);
        // Causes: the kind and the reason up to its first colon, numbers masked.
        FailureReport f = Reports.failure("0x5eed000000000001");
        assertThat(MergeShards.cause(f)).isEqualTo("ASSERTION \"money is conserved\" does not hold");
    }

    @Test
    void aDirectoryGivenTwiceIsReadOnce() {
        ReportJson.write(dir.resolve("shard-1"), shard(1, 2, 4, 1));
        ReportJson.write(dir.resolve("shard-2"), shard(2, 2, 4, 1));

        int exit = mergeShards("-o", dir.resolve("merged").toString(), dir.resolve("shard-1").toString(),
                dir.resolve("shard-2").toString(), dir.resolve("shard-1").toString() + "/.");

        assertThat(exit).as(err.toString()).isZero();
    }

    @Test
    void aReplayCommandGetsTheNewChoicesFileWhateverTheOldOnesQuoting() {
        assertThat(ShardFiles.replayFrom("mvn test -Dparigot.seed=0x1 -Dparigot.replay='a/b#c.choices' -Dx=1",
                "a/b#c.choices", "merged/runs/b#c.choices"))
                .isEqualTo("mvn test -Dparigot.seed=0x1 -Dparigot.replay='merged/runs/b#c.choices' -Dx=1");
        assertThat(ShardFiles.replayFrom("mvn test -Dparigot.replay=a.choices", "a.choices", "it's/a.choices"))
                .isEqualTo("mvn test -Dparigot.replay='it'\\''s/a.choices'");
    }

    @Test
    void aMergeIntoADirectoryUnderItsInputReadsTheShardsNotAnEarlierMerge() {
        ReportJson.write(dir.resolve("shard-1"), shard(1, 2, 4, 1));
        ReportJson.write(dir.resolve("shard-2"), shard(2, 2, 4, 1));
        Path merged = dir.resolve("merged");

        assertThat(mergeShards("-o", merged.toString(), dir.toString())).as(err.toString()).isZero();
        assertThat(mergeShards("-o", merged.toString(), dir.toString())).as(err.toString()).isZero();

        assertThat(ReportJson.read(merged.resolve(Reports.CLASS + "#" + Reports.METHOD + ".json")).seedsFailed())
                .isEqualTo(1);
    }

    @Test
    void aMissingShardExitsWithOneNamingItAndWritesNothing() {
        ReportJson.write(dir.resolve("in"), shard(1, 2, 4));
        Path merged = dir.resolve("merged");

        int exit = mergeShards("--output", merged.toString(), dir.resolve("in").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("merge-shards: " + Reports.CLASS + "#" + Reports.METHOD
                + ": shard 2/2 is missing").contains("merge-shards: nothing written to " + merged);
        assertThat(merged).doesNotExist();
    }

    @Test
    void aReportOfAnotherMajorVersionIsRefusedWithItsFile() throws IOException {
        Path file = ReportJson.write(dir, shard(1, 1, 2));
        Files.writeString(file, Files.readString(file).replace("report/1.1", "report/3.1"));

        assertThat(mergeShards("-o", dir.resolve("m").toString(), dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("merge-shards: " + file + " is a report of schema parigot-sim/report/3.1");
    }

    @Test
    void noPathIsAUsageError() {
        assertThat(mergeShards()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        assertThat(mergeShards("-o", "x", dir.resolve("nothing-here").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist");
        assertThat(List.of(mergeShards("--help"))).containsExactly(0);
        assertThat(out.toString()).contains("--allow-incomplete").contains("Exit codes:");
    }
}
