package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boot: declarations, the dependency graph, ready order, and every way boot fails. */
class BootTest {
    static final GuestModule ECHO = Guests.load("echo");
    static final GuestModule MISUSE = Guests.load("misuse");

    static SimFailure bootFailure(Sim sim) {
        SimFailureException e = (SimFailureException) org.assertj.core.api.Assertions.catchThrowable(sim::run);
        assertThat(e).as("the world should fail at boot").isNotNull();
        assertThat(sim.failure()).contains(e.failure());
        return e.failure();
    }

    static List<String> readyOrder(Sim sim) {
        List<String> order = new ArrayList<>();
        for (TraceStep s : sim.trace().last(Integer.MAX_VALUE)) {
            if (s.kind() == StepKind.READY) {
                order.add(s.target());
            }
        }
        return order;
    }

    @Test
    void missingRequiredServiceFailsBootNamingTheNodeAndTheService() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("needs_missing")).add(ECHO);

        SimFailure f = bootFailure(sim);

        assertThat(f.kind()).isEqualTo(FailureKind.BOOT);
        assertThat(f.reason())
                .startsWith("boot failed: ")
                .contains("node 'needs_missing' requires nowhere.v1.Missing, which no node exports")
                .contains("add a node whose module exports it")
                .contains("services exported: test.v1.Lonely, test.v1.Echo");
        assertThat(readyOrder(sim)).as("no node became ready").isEmpty();
    }

    @Test
    void cycleInRequiresFailsBootNamingEveryServiceAndNode() {
        Sim sim = Sim.create(Guests.config(1).build())
                .add(Guests.load("cycle_a"))
                .add(Guests.load("cycle_b"))
                .add(Guests.load("cycle_c"));

        SimFailure f = bootFailure(sim);

        assertThat(f.kind()).isEqualTo(FailureKind.BOOT);
        assertThat(f.reason())
                .contains("dependency cycle")
                .contains("cycle.v1.A (node 'cycle_a')")
                .contains("cycle.v1.B (node 'cycle_b')")
                .contains("cycle.v1.C (node 'cycle_c')")
                .contains("cannot be made ready in any order");
        // The path is in require order and closes on its first service.
        assertThat(f.reason()).containsPattern(
                "cycle\\.v1\\.B \\(node 'cycle_b'\\), which requires cycle\\.v1\\.C \\(node 'cycle_c'\\), which requires"
                        + " cycle\\.v1\\.A \\(node 'cycle_a'\\), which requires cycle\\.v1\\.B");
        assertThat(readyOrder(sim)).isEmpty();
    }

    @Test
    void nonZeroParigotStartAbortsBootReportingTheValue() {
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO).add(Guests.load("start_fails"));

        SimFailure f = bootFailure(sim);

        assertThat(f.kind()).isEqualTo(FailureKind.BOOT);
        assertThat(f.node()).isEqualTo("start_fails");
        assertThat(f.reason()).contains("node 'start_fails' refused to start: parigot_start returned 7");
    }

    @Test
    void nonZeroParigotReadyFailsBootWithoutRetry() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("ready_fails"));

        SimFailure f = bootFailure(sim);

        assertThat(f.kind()).isEqualTo(FailureKind.BOOT);
        assertThat(f.node()).isEqualTo("ready_fails");
        assertThat(f.reason()).isEqualTo("boot failed: node 'ready_fails' is not ready: parigot_ready returned 1");
        assertThat(readyOrder(sim)).as("parigot_ready ran once, no retry").containsExactly("ready_fails");
    }

    @Test
    void bootFailureSurfacesFromBootAndFromTheFirstClientCallToo() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("ready_fails"));
        TestClient client = sim.client("client");

        assertThatThrownBy(() -> client.call("test.v1.ReadyFails", "X", new byte[0]))
                .isInstanceOfSatisfying(SimFailureException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(FailureKind.BOOT));
        assertThatThrownBy(sim::boot)
                .isInstanceOfSatisfying(SimFailureException.class,
                        e -> assertThat(e.failure()).isSameAs(sim.failure().orElseThrow()));
    }

    @Test
    void twoNodesWithTheSameNameAreRefusedWhenAdded() {
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO);

        assertThatThrownBy(() -> sim.add(ECHO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a node named 'echo' already exists in this world")
                .hasMessageContaining("NodeOptions.named");
        assertThatThrownBy(() -> sim.client("echo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a node named 'echo' already exists");
        assertThat(sim.nodes()).containsExactly("echo");
    }

    @Test
    void serviceExportedByTwoDifferentModulesFailsBootNamingBothNodesAndModules() {
        JavaService fake = JavaService.builder("test.v1.Echo")
                .rawMethod("Echo", (bytes, call) -> call.reply(Status.OK, bytes))
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO).add("fake_echo", fake);

        SimFailure f = bootFailure(sim);

        assertThat(f.kind()).isEqualTo(FailureKind.BOOT);
        assertThat(f.reason())
                .contains("service test.v1.Echo is exported by node 'echo' (module echo)")
                .contains("and by node 'fake_echo' (module java:test.v1.Echo)")
                .contains("replicas of one service must run the same module");
    }

    @Test
    void sameModuleBytesUnderAnotherNameAreReplicasNotAConflict() {
        Sim sim = Sim.create(Guests.config(5).build()).add(ECHO).add(ECHO.named("echo_copy"));
        TestClient client = sim.client("client");
        for (int i = 0; i < 20; i++) {
            client.call("test.v1.Echo", "Echo", new byte[0]);
        }

        sim.run();

        assertThat(sim.failure()).isEmpty();
        assertThat(sim.trace().last(100)).filteredOn(s -> s.kind() == StepKind.CALL).extracting(TraceStep::target)
                .contains("echo", "echo_copy");
    }

    @Test
    void nodesBecomeReadyAfterEveryServiceTheyRequireWhateverTheOrderAdded() {
        for (long seed = 1; seed <= 8; seed++) {
            Sim sim = Sim.create(Guests.config(seed).build())
                    .add(MISUSE)
                    .add(Guests.load("bad_pointer"))
                    .add(ECHO);
            sim.boot();
            List<String> order = readyOrder(sim);
            assertThat(order).as("seed %d", seed).hasSize(3).startsWith("echo")
                    .containsExactlyInAnyOrder("echo", "misuse", "bad_pointer");
            assertThat(sim.exportsOf("misuse")).containsExactly("test.v1.Misuse");
        }
    }

    @Test
    void relativeReadyOrderOfIndependentNodesIsAScheduleChoice() {
        List<List<String>> seen = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            Sim sim = Sim.create(Guests.config(seed).build())
                    .add(ECHO)
                    .add(Guests.load("hang"))
                    .add(Guests.load("trap"));
            sim.boot();
            List<String> order = readyOrder(sim);
            if (!seen.contains(order)) {
                seen.add(order);
            }
        }
        assertThat(seen).as("distinct ready orders over 12 seeds").hasSizeGreaterThan(1);
    }

    @Test
    void nodesCannotBeAddedAfterBoot() {
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO);
        sim.boot();

        assertThatThrownBy(() -> sim.add(MISUSE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot add a node after the world has booted");
        // A client may join a booted world, and is ready at once.
        TestClient late = sim.client("late");
        assertThat(sim.await(late.call("test.v1.Echo", "Echo", new byte[] {1, 2}))).containsExactly(1, 2);
    }

    @Test
    void catalogSelectsOnlyTheTransitiveRequirementsOfTheServicesAsked() {
        ServiceCatalog catalog = ServiceCatalog.of(Guests.load("hang"), MISUSE, Guests.load("trap"), ECHO,
                Guests.load("exiter"));

        assertThat(catalog.select("test.v1.Misuse")).extracting(GuestModule::name)
                .containsExactly("misuse", "echo");
        assertThat(catalog.select("test.v1.Hang")).extracting(GuestModule::name).containsExactly("hang");
        assertThat(catalog.select("test.v1.Echo", "test.v1.Trap")).extracting(GuestModule::name)
                .containsExactly("trap", "echo");
        assertThat(ServiceCatalog.declarations(MISUSE).requires()).containsExactly("test.v1.Echo");
        assertThat(ServiceCatalog.declarations(MISUSE).exports()).containsExactly("test.v1.Misuse");
    }

    @Test
    void worldBuiltFromACatalogRunsOnlyTheSelectedNodes() {
        ServiceCatalog catalog = ServiceCatalog.of(Guests.load("hang"), MISUSE, ECHO);
        Sim sim = Sim.create(Guests.config(3).build()).use(catalog, "test.v1.Misuse");
        TestClient client = sim.client("client");

        byte[] reply = sim.await(client.call("test.v1.Misuse", "CallEcho", new byte[] {9, 9, 9}));

        assertThat(sim.nodes()).containsExactly("misuse", "echo", "client");
        assertThat(Guests.i64(reply)).isEqualTo(3);
    }

    @Test
    void aJavaFakeAddedBeforeStandsInForTheModuleThatWouldServeItAndASecondUseAddsOnlyWhatIsMissing() {
        // misuse requires test.v1.Echo; a Java fake serves it, so the catalog adds misuse alone.
        ServiceCatalog catalog = ServiceCatalog.of(Guests.load("hang"), MISUSE);
        Sim sim = Sim.create(Guests.config(3).build());
        sim.add("fake-echo", JavaService.builder("test.v1.Echo")
                .rawMethod("Echo", (bytes, call) -> call.reply(Status.OK, bytes)).build());
        sim.use(catalog, "test.v1.Misuse");
        sim.use(catalog, "test.v1.Misuse", "test.v1.Hang"); // misuse is there already: only hang is added
        TestClient client = sim.client("client");

        byte[] reply = sim.await(client.call("test.v1.Misuse", "CallEcho", new byte[] {9, 9, 9}));

        assertThat(sim.nodes()).containsExactly("fake-echo", "misuse", "hang", "client");
        assertThat(Guests.i64(reply)).isEqualTo(3);
        // Without the fake, the catalog says what is missing and how to serve it.
        assertThatThrownBy(() -> Sim.create(Guests.config(3).build()).use(catalog, "test.v1.Misuse"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("no module in the catalog exports test.v1.Echo (needed transitively)")
                .hasMessageContaining("sim.add(name, javaService)");
    }

    @Test
    void catalogRefusesAnUnknownServiceListingWhatItExports() {
        ServiceCatalog catalog = ServiceCatalog.of(ECHO, Guests.load("hang"));

        assertThatThrownBy(() -> catalog.select("nope.v1.Nothing"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("no module in the catalog exports nope.v1.Nothing")
                .hasMessageContaining("[test.v1.Echo, test.v1.Hang]")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("transitively"));
    }

    @Test
    void catalogRefusesAMissingTransitiveRequirementSayingSo() {
        ServiceCatalog catalog = ServiceCatalog.of(ECHO, Guests.load("needs_missing"));

        assertThatThrownBy(() -> catalog.select("test.v1.Lonely"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("no module in the catalog exports nowhere.v1.Missing (needed transitively)");
    }

    @Test
    void catalogRefusesAModuleWhoseStartFailsNamingIt() {
        ServiceCatalog catalog = ServiceCatalog.of(ECHO, Guests.load("start_fails"));

        assertThatThrownBy(() -> catalog.select("test.v1.Echo"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'start_fails' cannot be started to learn its declarations")
                .hasMessageContaining("parigot_start returned 7");
    }
}
