package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Jupiter's own annotations mean on a simulation test what they mean on a {@code @Test}:
 * {@code @Disabled} skips with its reason, {@code @Tag} is what the platform's tag filters (the
 * Console Launcher's {@code --include-tag}, Surefire's {@code groups}) select on, and
 * {@code @DisplayName} names the test. (SurefireRunTest checks the same through Maven.)
 */
class JupiterConventionsTest {
    static final Queue<String> RAN = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    @BeforeEach
    void forget() {
        RAN.clear();
    }

    @DisplayName("The ledger, annotated")
    @Tag("ledger")
    static class Annotated {
        @ParigotSimTest(seeds = 2)
        @DisplayName("deposits are kept")
        void named(Sim sim) {
            RAN.add("named");
            LedgerWorld.deposits(sim, 1);
        }

        @ParigotSimTest(seeds = 2)
        @Disabled("waits for the ledger fix")
        void disabledWithReason(Sim sim) {
            RAN.add("disabledWithReason");
        }

        @ParigotSimTest(seeds = 2)
        @Disabled
        void disabledWithoutReason(Sim sim) {
            RAN.add("disabledWithoutReason");
        }

        @ParigotSimTest(seeds = 2)
        @Tag("slow")
        @Tag("nightly")
        void slow(Sim sim) {
            RAN.add("slow");
            LedgerWorld.deposits(sim, 1);
        }
    }

    @Disabled("the whole class waits for the ledger fix")
    static class DisabledClass {
        @ParigotSimTest(seeds = 2)
        void neverRuns(Sim sim) {
            RAN.add("neverRuns");
        }
    }

    @Disabled
    static class DisabledClassWithoutReason {
        @ParigotSimTest(seeds = 2)
        void neverRuns(Sim sim) {
            RAN.add("neverRuns");
        }
    }

    static class BadlyTagged {
        @ParigotSimTest(seeds = 1)
        @Tag("needs a fix")
        void badlyTagged(Sim sim) {
            RAN.add("badlyTagged");
            LedgerWorld.deposits(sim, 1);
        }
    }

    EngineExecutionResults run(Class<?> fixture, Filter<?>... filters) {
        return EngineTestKit.engine(ParigotSimEngine.ID).enableImplicitConfigurationParameters(false)
                .configurationParameter(Settings.REPORTS, dir.resolve("reports").toString())
                .configurationParameter(Settings.REGRESSIONS, dir.resolve("regressions.txt").toString())
                .configurationParameter(Settings.PROGRESS, "0")
                .selectors(selectClass(fixture)).filters(filters).execute();
    }

    static TestDescriptor method(TestDescriptor engine, String name) {
        return engine.getDescendants().stream().filter(d -> d instanceof SimMethodDescriptor m
                && m.method.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void disabledMethodIsSkippedWithItsReasonAndNeverRuns() {
        EngineExecutionResults results = run(Annotated.class);

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("disabledWithReason"), skippedWithReason("waits for the ledger fix")))
                .haveExactly(1, event(test("disabledWithoutReason"),
                        skippedWithReason("Annotated#disabledWithoutReason is @Disabled")));
        results.testEvents().assertStatistics(s -> s.skipped(2).started(2).succeeded(2));
        assertThat(RAN).containsExactlyInAnyOrder("named", "named", "slow", "slow");
    }

    @Test
    void disabledClassIsSkippedWithItsReasonAndNoneOfItsMethodsRun() {
        EngineExecutionResults results = run(DisabledClass.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(container("DisabledClass"),
                skippedWithReason("the whole class waits for the ledger fix")));
        results.testEvents().assertStatistics(s -> s.started(0).skipped(0));
        run(DisabledClassWithoutReason.class).containerEvents().assertThatEvents().haveExactly(1,
                event(container("DisabledClassWithoutReason"),
                        skippedWithReason("DisabledClassWithoutReason is @Disabled")));
        assertThat(RAN).isEmpty();
    }

    @Test
    void displayNamesNameClassAndMethodWhileLegacyNamesStayTheJavaNames() {
        TestDescriptor engine = EngineTestKit.engine(ParigotSimEngine.ID).selectors(selectClass(Annotated.class))
                .discover().getEngineDescriptor();

        TestDescriptor c = engine.getChildren().iterator().next();
        assertThat(c.getDisplayName()).isEqualTo("The ledger, annotated");
        assertThat(c.getLegacyReportingName()).isEqualTo(Annotated.class.getName());
        assertThat(method(engine, "named").getDisplayName()).isEqualTo("deposits are kept");
        assertThat(method(engine, "named").getLegacyReportingName()).isEqualTo("named");
        assertThat(method(engine, "slow").getDisplayName()).isEqualTo("slow");
    }

    @Test
    void tagsOfAMethodAreItsOwnAndItsClasss() {
        TestDescriptor engine = EngineTestKit.engine(ParigotSimEngine.ID).selectors(selectClass(Annotated.class))
                .discover().getEngineDescriptor();

        assertThat(engine.getChildren().iterator().next().getTags()).containsExactly(TestTag.create("ledger"));
        assertThat(method(engine, "slow").getTags()).containsExactlyInAnyOrder(TestTag.create("slow"),
                TestTag.create("nightly"), TestTag.create("ledger"));
        assertThat(method(engine, "named").getTags()).containsExactly(TestTag.create("ledger"));
    }

    @Test
    void tagFiltersAsTheConsoleLauncherBuildsThemSelectTaggedMethods() {
        // --exclude-tag slow
        run(Annotated.class, TagFilter.excludeTags("slow"));
        assertThat(RAN).containsOnly("named").hasSize(2);

        // --include-tag slow
        RAN.clear();
        EngineExecutionResults slowOnly = run(Annotated.class, TagFilter.includeTags("slow"));
        assertThat(RAN).containsOnly("slow").hasSize(2);
        slowOnly.testEvents().assertStatistics(s -> s.started(1).skipped(0));

        // A tag expression over class and method tags.
        RAN.clear();
        run(Annotated.class, TagFilter.includeTags("ledger & !nightly"));
        assertThat(RAN).containsOnly("named");

        RAN.clear();
        EngineExecutionResults none = run(Annotated.class, TagFilter.includeTags("fast"));
        assertThat(RAN).isEmpty();
        none.containerEvents().assertStatistics(s -> s.started(1));
    }

    @Test
    void aTagThePlatformCannotFilterOnIsAWarningNamingItAndIsIgnored() {
        var discovered = EngineTestKit.engine(ParigotSimEngine.ID).selectors(selectClass(BadlyTagged.class))
                .discover();

        List<DiscoveryIssue> issues = discovered.getDiscoveryIssues();
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).severity()).isEqualTo(DiscoveryIssue.Severity.WARNING);
        assertThat(issues.get(0).message()).startsWith("@Tag(\"needs a fix\") on void " + BadlyTagged.class.getName()
                + ".badlyTagged(dev.parigot.sim.kernel.Sim) is not a valid tag");
        assertThat(method(discovered.getEngineDescriptor(), "badlyTagged").getTags()).isEmpty();
    }
}
