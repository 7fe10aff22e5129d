package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.junit.scan.Derived;
import dev.parigot.sim.junit.scan.NoSimMethods;
import dev.parigot.sim.junit.scan.TwoMethods;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Discovery turns selectors into one container per test class and one test per
 * {@code @ParigotSimTest} method, and runs nothing; every kind of selector a build tool or IDE
 * sends (class, method, package, unique id) finds the same descriptors.
 */
class DiscoveryTest {
    static final String SCAN = "dev.parigot.sim.junit.scan";

    @TempDir
    Path dir;

    @AfterEach
    void resetFixtures() {
        FailsOnListedSeeds.reset();
    }

    static TestDescriptor discover(DiscoverySelector... selectors) {
        return EngineTestKit.engine(ParigotSimEngine.ID).selectors(selectors).discover().getEngineDescriptor();
    }

    static TestDescriptor discover(Filter<?> filter, DiscoverySelector... selectors) {
        return EngineTestKit.engine(ParigotSimEngine.ID).selectors(selectors).filters(filter).discover()
                .getEngineDescriptor();
    }

    /** "Class#method" for every method descriptor, in discovery order. */
    static List<String> methods(TestDescriptor engine) {
        return engine.getChildren().stream().flatMap(c -> c.getChildren().stream())
                .map(m -> ((SimMethodDescriptor) m).testClass.getSimpleName() + "#" + m.getDisplayName()).toList();
    }

    @Test
    void classBecomesAContainerOfItsSimMethodsInNameOrder() {
        TestDescriptor engine = discover(selectClass(TwoMethods.class));

        assertThat(engine.getChildren()).hasSize(1);
        TestDescriptor c = engine.getChildren().iterator().next();
        assertThat(c.getDisplayName()).isEqualTo("TwoMethods");
        assertThat(c.getType()).isEqualTo(TestDescriptor.Type.CONTAINER);
        assertThat(c.getSource()).contains(ClassSource.from(TwoMethods.class));
        assertThat(c.getUniqueId()).isEqualTo(UniqueId.forEngine(ParigotSimEngine.ID)
                .append("class", TwoMethods.class.getName()));
        assertThat(methods(engine)).containsExactly("TwoMethods#first", "TwoMethods#second");
        TestDescriptor first = c.getChildren().iterator().next();
        assertThat(first.getType()).isEqualTo(TestDescriptor.Type.CONTAINER_AND_TEST);
        assertThat(first.mayRegisterTests()).isTrue();
        assertThat(first.getUniqueId().getLastSegment().getValue()).isEqualTo("first(" + Sim.class.getName() + ")");
        assertThat(first.getSource()).hasValueSatisfying(s -> assertThat(((MethodSource) s).getMethodName())
                .isEqualTo("first"));
    }

    @Test
    void methodSelectorFindsThatMethodOnly() {
        TestDescriptor engine = discover(selectMethod(TwoMethods.class, "second", Sim.class.getName()));

        assertThat(methods(engine)).containsExactly("TwoMethods#second");
    }

    @Test
    void uniqueIdSelectorsFindAMethodOrAWholeClass() {
        UniqueId classId = UniqueId.forEngine(ParigotSimEngine.ID).append("class", TwoMethods.class.getName());

        assertThat(methods(discover(selectUniqueId(classId.append("method", "second(" + Sim.class.getName() + ")")))))
                .containsExactly("TwoMethods#second");
        assertThat(methods(discover(selectUniqueId(classId)))).containsExactly("TwoMethods#first", "TwoMethods#second");
        assertThat(methods(discover(selectUniqueId(classId.append("method", "missing()"))))).isEmpty();
        assertThat(methods(discover(selectUniqueId(UniqueId.forEngine(ParigotSimEngine.ID)
                .append("class", "dev.parigot.sim.junit.NoSuchClass"))))).isEmpty();
    }

    @Test
    void packageScanFindsEveryConcreteClassWithSimMethodsIncludingNestedAndInherited() {
        TestDescriptor engine = discover(selectPackage(SCAN));

        assertThat(methods(engine)).containsExactlyInAnyOrder("Derived#inherited", "Derived#own",
                "TwoMethods#first", "TwoMethods#second", "Nested#nested");
        assertThat(engine.getChildren()).hasSize(3);
        assertThat(engine.getDescendants()).filteredOn(TestDescriptor::isTest).hasSize(5);
    }

    @Test
    void packageScanHonoursClassNameFilters() {
        TestDescriptor engine = discover(excludeClassNamePatterns(".*Derived"), selectPackage(SCAN));

        assertThat(methods(engine)).containsExactlyInAnyOrder("TwoMethods#first", "TwoMethods#second",
                "Nested#nested");
    }

    @Test
    void classesWithoutSimMethodsAndAbstractClassesAreNotDiscovered() {
        assertThat(discover(selectClass(NoSimMethods.class)).getChildren()).isEmpty();
        assertThat(discover(selectClass(dev.parigot.sim.junit.scan.AbstractBase.class)).getChildren()).isEmpty();
        assertThat(discover(selectClass(DiscoveryTest.class)).getChildren()).isEmpty();
    }

    @Test
    void selectingAClassTwiceOrByClassAndMethodGivesOneDescriptorEach() {
        TestDescriptor engine = discover(selectClass(TwoMethods.class), selectClass(TwoMethods.class),
                selectMethod(TwoMethods.class, "first", Sim.class.getName()), selectClass(Derived.class));

        assertThat(methods(engine)).containsExactly("TwoMethods#first", "TwoMethods#second", "Derived#inherited",
                "Derived#own");
    }

    @Test
    void discoveryRunsNothing() {
        discover(selectClass(FailsOnListedSeeds.class), selectPackage(SCAN));

        assertThat(FailsOnListedSeeds.run()).isEmpty();
    }

    @Test
    void executionCountsMatchDiscovery() {
        var results = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.FAILURES_REPORTED, "100")
                .run(selectPackage(SCAN), selectClass(FailsOnListedSeeds.class), selectClass(LostUpdate.class));

        // The engine, five classes, seven methods (five scanned, FailsOnListedSeeds' and LostUpdate's); only
        // LostUpdate has failing seeds, each a test of its own under its method.
        results.containerEvents().assertStatistics(s -> s.started(1 + 5 + 7).succeeded(13));
        long failing = EngineRun.failedSeeds(results).size();
        assertThat(failing).isPositive();
        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(failing).started(7 + failing)
                .failed(failing).succeeded(7));
        assertThat(results.testEvents().started().filter(e -> e.getTestDescriptor() instanceof SimMethodDescriptor)
                .count()).isEqualTo(7);
        assertThat(FailsOnListedSeeds.run()).hasSize(5).startsWith(Seed.FIRST);
    }
}
