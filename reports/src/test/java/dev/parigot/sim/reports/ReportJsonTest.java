package dev.parigot.sim.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {
    @TempDir
    Path dir;

    @Test
    void aReportWrittenAndReadBackIsEqualToTheOriginal() {
        MethodReport report = Reports.shard(2, 3, 20, 1, 4, 7);

        Path file = ReportJson.write(dir, report);

        assertThat(file.getFileName().toString()).isEqualTo(Reports.CLASS + "#" + Reports.METHOD + ".shard-2-of-3.json");
        assertThat(report.failures()).hasSize(3);
        assertThat(ReportJson.read(file)).isEqualTo(report);
    }

    @Test
    void theJsonKeepsTheSummaryFieldNamesInOrderOneKeyAndValueALine() {
        String json = ReportJson.toJson(Reports.shard(1, 1, 5, 3));

        assertThat(json).startsWith("{\n  \"schema\": \"parigot-sim/report/1.1\",\n  \"testClass\": \""
                + Reports.CLASS + "\",\n  \"method\": \"moneyIsConserved\",\n  \"strategy\": \"pct:3\",\n");
        assertThat(json).containsSubsequence("\"firstSeed\"", "\"shard\": \"1/1\"", "\"seedsPlanned\": 5",
                "\"seedsRun\": 5", "\"seedsFailed\": 1", "\"timeBudgetReached\": false", "\"stoppedAtFirstFailure\"",
                "\"steps\": 50", "\"virtualTimeNanos\"", "\"wallTimeMillis\"", "\"stepsPerSecond\"", "\"worldsAtOnce\"",
                "\"worldLinearMemoryBytesMax\"", "\"seedsCovered\"", "\"failures\"", "\"assertions\"")
                .contains("\"reason\": \"\\\"money is conserved\\\" does not hold:\\nline two\"")
                .contains("\"node\": \"teller\"").endsWith("}\n");
        assertThat(json).contains("\"mergedFrom\": [],").contains("\"beforeSweep\": []");
        // Absent rather than null: a one-module build has no command for the module directory.
        assertThat(json).doesNotContain("replayInModule").doesNotContain("modulesChanged");
    }

    @Test
    void aFixedSeedRunWritesNullForTheFirstSeedAndTheSweep() {
        MethodReport r = Reports.shard(1, 1, 5);
        MethodReport fixed = new MethodReport(r.schema(), r.testClass(), r.method(), r.strategy(), null, "1/1", 1, 1, 0,
                false, false, 3, 4, 5, 6, 1, 0, new SeedsCovered(null, java.util.List.of("0x5eed00000000002a"),
                java.util.List.of()), r.settings(), r.parameters(), null, null, null);

        String json = ReportJson.toJson(fixed);

        assertThat(json).contains("\"firstSeed\": null").contains("\"sweep\": null")
                .contains("\"fixedSeeds\": [\n      \"0x5eed00000000002a\"\n    ]");
        assertThat(ReportJson.fromJson(json, "fixed.json")).isEqualTo(fixed);
        assertThat(fixed.fileName()).isEqualTo(Reports.CLASS + "#" + Reports.METHOD + ".json");
    }

    @Test
    void fieldsOfANewerMinorVersionAreIgnoredAndMissingOnesAreEmpty() {
        String json = ReportJson.toJson(Reports.shard(1, 2, 10, 0))
                .replace("\"schema\": \"parigot-sim/report/1.1\"", "\"schema\": \"parigot-sim/report/1.7\","
                        + " \"flakiness\": {\"score\": 0.5}")
                .replace("\"mergedFrom\": [],", "");

        MethodReport read = ReportJson.fromJson(json, "newer.json");

        assertThat(read.seedsFailed()).isEqualTo(1);
        assertThat(read.mergedFrom()).isEmpty();
        assertThat(read.failures().get(0).seed()).isEqualTo("0x5eed000000000000");
    }

    @Test
    void anotherMajorVersionIsRefusedNamingBothVersions() {
        String json = ReportJson.toJson(Reports.shard(1, 1, 3))
                .replace("parigot-sim/report/1.1", "parigot-sim/report/2.0");

        assertThatThrownBy(() -> ReportJson.fromJson(json, "from-the-future.json"))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("from-the-future.json is a report of schema parigot-sim/report/2.0 (major"
                        + " version 2); this version of Parigot Sim reads major version 1")
                .hasMessageContaining("read it with the Parigot Sim version that wrote it");
    }

    @Test
    void aSummaryWithoutSchemaIsNotTakenForAReport() {
        assertThatThrownBy(() -> ReportJson.fromJson("{\"testClass\": \"X\", \"method\": \"m\"}", "old.json"))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("old.json is not a Parigot Sim report: it has no \"schema\" field");
        assertThatThrownBy(() -> ReportJson.fromJson("{\"schema\": \"parigot-sim/report/1.1\", \"seed", "cut.json"))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("cut.json is not valid JSON");
    }
}
