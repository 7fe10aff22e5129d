package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's own project sees when {@code mvn test} runs simulation tests through Surefire
 * 3.5.3: Jupiter's {@code @Disabled}, {@code @Tag} ({@code groups}, {@code excludedGroups}) and
 * {@code @DisplayName} work as on a {@code @Test}; the method's report entries are in the XML
 * report; each failing seed's report is printed once; Surefire's rerun of failed tests (by unique
 * id) reruns the failing seeds alone; a module that fails to load in a static field fails with
 * its own sentence. One Maven run per test, offline; skipped without {@code mvn}.
 */
class SurefireRunTest {
    @TempDir
    static Path dir;
    static SurefireProject project;

    static final String LEDGER = """
            package demo;

            import dev.parigot.sim.junit.ParigotSimTest;
            import dev.parigot.sim.kernel.Sim;
            import java.io.IOException;
            import java.nio.file.Files;
            import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            import org.junit.jupiter.api.Disabled;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;

            @DisplayName("Ledger under load")
            class LedgerSimTest {
                @ParigotSimTest(seeds = 20)
                @DisplayName("money is conserved")
                void failsOnSomeSeeds(Sim sim) {
                    sim.run();
                    if ((sim.seed().value() & 3) == 1) {
                        throw new AssertionError("unlucky seed " + sim.seed());
                    }
                }

                @ParigotSimTest(seeds = 3)
                void passes(Sim sim) {
                    sim.run();
                }

                @ParigotSimTest(seeds = 3)
                @Disabled("waits for the ledger fix")
                void disabled(Sim sim) {
                    throw new AssertionError("a disabled test ran");
                }

                @ParigotSimTest(seeds = 8)
                @Tag("slow")
                void slow(Sim sim) throws IOException {
                    Files.writeString(Path.of("target/slow-seeds.txt"), sim.seed() + "\\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    sim.run();
                    if ((sim.seed().value() & 3) == 2) {
                        throw new AssertionError("slow and unlucky");
                    }
                }
            }
            """;

    static final String DISABLED = """
            package demo;

            import dev.parigot.sim.junit.ParigotSimTest;
            import dev.parigot.sim.kernel.Sim;
            import org.junit.jupiter.api.Disabled;

            @Disabled("the whole class waits")
            class DisabledSimTest {
                @ParigotSimTest
                void neverRuns(Sim sim) {
                    throw new AssertionError("a method of a disabled class ran");
                }
            }
            """;

    static final String MISSING_MODULE = """
            package demo;

            import dev.parigot.sim.junit.ParigotSimTest;
            import dev.parigot.sim.kernel.GuestModule;
            import dev.parigot.sim.kernel.Sim;
            import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

            class MissingModuleSimTest {
                static final GuestModule TELLER = GuestModule.load(Path.of("missing.wasm"));

                @ParigotSimTest
                void boots(Sim sim) {
                    sim.add(TELLER).boot();
                    sim.run();
                }
            }
            """;

    @BeforeAll
    static void createProject() {
        Assumptions.assumeTrue(SurefireProject.mavenOnPath(), "mvn is not on the PATH: no Surefire run");
        project = SurefireProject.create(dir).testSource("LedgerSimTest", LEDGER)
                .testSource("DisabledSimTest", DISABLED).testSource("MissingModuleSimTest", MISSING_MODULE);
    }

    static String seed(long n) {
        return String.format("0x5eed%012x", n);
    }

    /** The seeds of LedgerSimTest#failsOnSomeSeeds that fail: 1, 5, 9, 13 and 17. */
    static final List<String> FAILING = List.of(seed(1), seed(5), seed(9), seed(13), seed(17));

    @Test
    void mvnTestSkipsDisabledAndExcludedGroupsNamesByDisplayNameKeepsReportEntriesAndPrintsEachFailureOnce() {
        SurefireProject.Run run = project.mvn("test", "-DexcludedGroups=slow",
                "-Dparigot.reports=target/parigot-sim-excluded-groups");

        assertThat(run.output()).as(run.output()).contains("Tests run: 10, Failures: 5, Errors: 1, Skipped: 2");
        String xml = project.xmlReport("LedgerSimTest");
        // @DisplayName, as Surefire's phrased reporter shows it; a seed under its method's name.
        assertThat(xml).contains("<testcase name=\"money is conserved\" classname=\"Ledger under load\"")
                .contains("<testcase name=\"money is conserved seed " + seed(1) + "\" classname=\"Ledger under load\"");
        // @Disabled, with its reason.
        assertThat(xml).containsPattern("<testcase name=\"disabled\" [^>]*>\\s*<skipped message=\"waits for the"
                + " ledger fix\"/>");
        assertThat(project.xmlReport("DisabledSimTest")).containsPattern("<testcase name=\"neverRuns\" [^>]*>\\s*"
                + "<skipped message=\"the whole class waits\"/>");
        // @Tag("slow") with -DexcludedGroups=slow: not run at all.
        assertThat(xml).doesNotContain("name=\"slow\"");
        assertThat(run.output()).doesNotContain("LedgerSimTest#slow");
        // The method's report entry, in its system-out.
        assertThat(testcase(xml, "passes")).contains("<system-out><![CDATA[[parigot] LedgerSimTest#passes: 3 seeds,")
                .contains("\n[parigot] LedgerSimTest#passes report entry: parigot.seeds=3, parigot.failures=0,"
                        + " parigot.steps=0, parigot.steps.per.second=0, parigot.virtual.time=0.000 s,"
                        + " parigot.strategy=mix, parigot.seed.first=0x5eed000000000000, parigot.shard=1/1\n");
        // Each failing seed's report once: its replay command once, the whole report's lines once each.
        for (String seed : FAILING) {
            assertThat(count(run.output(), "replay: mvn test -Dtest='LedgerSimTest#failsOnSomeSeeds'"
                    + " -Dparigot.seed=" + seed + "\n")).as("replay lines of " + seed).isEqualTo(1);
            // The list after the run repeats each failure in one line.
            assertThat(count(run.output(), "seed " + seed + " failed after 0 steps, 0 ns virtual time (strategy mix):"
                    + " assertion failed in the test: unlucky seed " + seed + "\n"))
                    .as("headlines of " + seed).isEqualTo(1);
        }
        assertThat(count(run.output(), "re-run: the same failure and trace hash")).isEqualTo(FAILING.size());
        // A module that fails to load in a static field: its own sentence first, not ExceptionInInitializerError.
        assertThat(run.output()).contains("MissingModuleSimTest.boots » StaticInitializer module file missing.wasm"
                + " does not exist (looked for " + dir.resolve("missing.wasm").toAbsolutePath())
                .doesNotContain("ExceptionInInitializerError").doesNotContain("NoClassDefFoundError");
        assertThat(count(run.output(), "  trace hash ")).isEqualTo(FAILING.size());
    }

    @Test
    void groupsRunTheTaggedMethodAloneAndARerunOfFailedTestsRerunsOnlyTheFailingSeeds() throws IOException {
        Files.deleteIfExists(dir.resolve("target/slow-seeds.txt"));

        // Shrinking off: it replays the first failing seed, and this test counts every run of a seed.
        SurefireProject.Run run = project.mvn("test", "-Dgroups=slow", "-Dsurefire.rerunFailingTestsCount=1", "-Dparigot.shrink=off",
                "-Dparigot.parallelism=1", "-Dparigot.reports=target/parigot-sim-groups");

        String xml = project.xmlReport("LedgerSimTest");
        assertThat(xml).as(run.output()).contains("name=\"slow\"").doesNotContain("money is conserved")
                .doesNotContain("name=\"passes\"");
        // Seeds 2 and 6 fail: the sweep runs 8 seeds and re-runs each failing one; Surefire's rerun (by unique
        // id) runs each failing seed again, with its own determinism re-run, and no other seed.
        List<String> ran = EngineRun.read(dir.resolve("target/slow-seeds.txt")).lines().toList();
        assertThat(ran.subList(0, 10)).containsExactly(seed(0), seed(1), seed(2), seed(2), seed(3), seed(4), seed(5),
                seed(6), seed(6), seed(7));
        assertThat(ran.subList(10, ran.size())).containsExactlyInAnyOrder(seed(2), seed(2), seed(6), seed(6));
        assertThat(run.output()).contains("Tests run: 3, Failures: 2, Errors: 0, Skipped: 0");
    }

    /** The {@code <testcase>} element of the method with this (display) name. */
    private static String testcase(String xml, String name) {
        int start = xml.indexOf("<testcase name=\"" + name + "\"");
        assertThat(start).as("a testcase named " + name + " in\n" + xml).isNotNegative();
        return xml.substring(start, xml.indexOf("</testcase>", start));
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
