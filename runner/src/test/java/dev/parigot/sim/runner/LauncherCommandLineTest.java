package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: what the launcher passes a child is what the child reads; mistakes are one sentence, exit 2. */
class LauncherCommandLineTest {

    @Test
    void theUnitArgumentsTheLauncherWritesParseBackToTheSameUnit() {
        UnitSpec unit = new UnitSpec("orders", List.of(
                new UnitNode(Path.of("orders.wasm").toAbsolutePath(), "orders-1", Map.of("PEERS", "orders-2"),
                        List.of("--replica", "1")),
                new UnitNode(Path.of("orders.wasm").toAbsolutePath(), "orders-2", Map.of("PEERS", "orders-1"),
                        List.of())));
        List<String> args = Launcher.unitArguments(unit, Map.of("shop.v1.Catalog", "127.0.0.1:5000"));

        Launcher.UnitCommand parsed = new Launcher.UnitCommand();
        new CommandLine(parsed).parseArgs(args.subList(1, args.size()).toArray(String[]::new));

        assertThat(args.get(0)).isEqualTo("unit");
        assertThat(parsed.unit.toSpec()).isEqualTo(unit);
        assertThat(parsed.remotes).containsExactly("shop.v1.Catalog=127.0.0.1:5000");
    }

    @Test
    void eachRepeatedUnitOfRunKeepsItsOwnNodes() {
        Launcher.RunCommand run = new Launcher.RunCommand();
        new CommandLine(run).parseArgs("--unit", "a", "--node", "a1=a.wasm", "--java", "fake=x.Fake",
                "--unit", "b", "--node", "b1=b.wasm", "--env", "b1:K=V", "--node", "b2=b.wasm",
                "--unit", "c", "--node", "c1=c.wasm");

        assertThat(run.units).extracting(u -> u.toSpec().nodes().stream().map(UnitNode::name).toList())
                .containsExactly(List.of("a1"), List.of("b1", "b2"), List.of("c1"));
        assertThat(run.units.get(0).toSpec().javaServices()).containsExactly(Map.entry("fake", "x.Fake"));
        assertThat(run.units.get(1).toSpec().nodes().get(0).environment()).containsExactly(Map.entry("K", "V"));
    }

    @Test
    void runPassesDataRestartsAndCompiledOnAndRefusesANegativeCountBeforeAnythingStarts() {
        Launcher.RunCommand run = new Launcher.RunCommand();
        new CommandLine(run).parseArgs("--manifest", "shop.yaml", "--data", "/var/lib/shop", "--restarts", "3",
                "--compiled", "/var/cache/shop");
        assertThat(run.data).isEqualTo(Path.of("/var/lib/shop"));
        assertThat(run.restarts).isEqualTo(3);
        assertThat(run.compiled).isEqualTo(Path.of("/var/cache/shop"));

        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("run", "--manifest", ManifestRunTest.SHOP.toString(),
                "--restarts", "-1"));
        ManifestRunTest.FAKES.forEach(fake -> args.addAll(List.of("--java-in", fake)));
        int code = Launcher.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parigot-runner: restarts must be 0 or more, got -1");
    }

    @Test
    void aJavaFakeIsNamedAsInSourceOrByItsBinaryNameAndAMissingOneIsOneSentence() {
        assertThat(JavaServices.load("dev.parigot.sim.runner.ShopFakes.Payments").name()).isEqualTo("shop.v1.Payments");
        assertThat(JavaServices.load("dev.parigot.sim.runner.ShopFakes$Shipping").name()).isEqualTo("shop.v1.Shipping");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JavaServices.load("com.example.NoSuchFake"))
                .hasMessage("no class com.example.NoSuchFake on the class path; name a class that implements"
                        + " Supplier<JavaService>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JavaServices.load("java.lang.String"))
                .hasMessage("java.lang.String does not implement Supplier<JavaService>");
    }

    @Test
    void aModuleThatIsNotWebAssemblyOrMissingIsOneSentenceWithExitCode2(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "# not a module");
        for (String[] args : List.of(new String[] {"unit", "--unit", "u", "--node", "a=" + text},
                new String[] {"run", "--unit", "u", "--node", "a=" + text},
                new String[] {"unit", "--unit", "u", "--node", "a=" + dir.resolve("none.wasm")})) {
            StringWriter err = new StringWriter();
            int code = Launcher.commandLine().setErr(new PrintWriter(err)).execute(args);
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).startsWith("parigot-runner: module").doesNotContain("\tat ")
                    .containsAnyOf("is not a WebAssembly binary", "does not exist");
        }
    }

    @Test
    void anEnvironmentForANodeTheUnitDoesNotHaveIsRefusedInOneSentence() {
        StringWriter err = new StringWriter();
        int code = Launcher.commandLine().setErr(new PrintWriter(err)).execute("unit", "--unit", "u",
                "--node", "a=" + Modules.LEDGER, "--env", "b:K=V");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parigot-runner: --env b:K=V: unit u has no node b; its nodes: [a]");
    }

    @Test
    void aUnitWhoseRequiredServiceIsNeitherLocalNorRemoteDoesNotBootAndSaysWhy() {
        StringWriter err = new StringWriter();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = Launcher.commandLine().setErr(new PrintWriter(err)).execute("unit", "--unit", "teller",
                    "--node", "teller=" + Modules.TELLER, "--connect-port", "-1");
        } finally {
            System.setErr(stderr);
        }

        assertThat(code).isEqualTo(2);
        // Standard error carries the sentence (and the unit's log, whose line about the failed world
        // is written by the world's own thread, so it may come before or after it).
        String text = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("parigot-runner: unit teller cannot boot: ");
        assertThat(text.substring(text.indexOf("parigot-runner: unit teller cannot boot: "))).contains("bank.v1.Ledger");
    }

    @Test
    void runRefusesUnitsThatRequireAServiceNoUnitExportsBeforeStartingAny() {
        StringWriter err = new StringWriter();
        int code = Launcher.commandLine().setErr(new PrintWriter(err)).execute("run",
                "--unit", "teller", "--node", "teller=" + Modules.TELLER);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parigot-runner: unit teller requires bank.v1.Ledger, which no"
                + " unit exports; add a unit whose module exports it");
    }

    @Test
    void versionPrintsTheRunnersVersionAndAPortOutOfRangeNamesItsOption() {
        StringWriter out = new StringWriter();
        int code = Launcher.commandLine().setOut(new PrintWriter(out)).execute("--version");
        assertThat(code).isZero();
        // From target/classes there is no pom.properties (Maven writes it into the jar): the line says so.
        assertThat(out.toString().strip()).startsWith("parigot-runner ");
        StringWriter runOut = new StringWriter();
        assertThat(Launcher.commandLine().setOut(new PrintWriter(runOut)).execute("run", "--version")).isZero();
        assertThat(runOut.toString()).isEqualTo(out.toString());

        StringWriter err = new StringWriter();
        code = Launcher.commandLine().setErr(new PrintWriter(err)).execute("unit", "--unit", "u",
                "--node", "ledger=" + Modules.LEDGER, "--port", "99999");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("parigot-runner: --port 99999: a port is 0 to 65535 (0: any free port)");

        StringWriter connectErr = new StringWriter();
        code = Launcher.commandLine().setErr(new PrintWriter(connectErr)).execute("unit", "--unit", "u",
                "--node", "ledger=" + Modules.LEDGER, "--connect-port", "-2");
        assertThat(code).isEqualTo(2);
        assertThat(connectErr.toString().strip()).isEqualTo(
                "parigot-runner: --connect-port -2: a port is 0 to 65535 (0: any free port; -1: no Connect)");
    }

    @Test
    void aPortInUseIsRefusedSayingWhy() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitHost.builder("ledger")
                    .node(UnitNode.of(Modules.LEDGER, "ledger")).port(port).log(Modules::failuresOnly).start())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    // Netty's native transport words it "bind(..) failed with error(-98): Address already in use"
                    .hasMessageStartingWith("unit ledger cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageEndingWith("Address already in use; free the port or give another (--port; 0 picks"
                            + " a free one)");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitHost.builder("ledger")
                    .node(UnitNode.of(Modules.LEDGER, "ledger")).connect(true, port).log(Modules::failuresOnly)
                    .start())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessage("cannot listen for Connect on 127.0.0.1:" + port + ": Address already in use; free"
                            + " the port or give another (--connect-port; 0 picks a free one, -1 serves no Connect)");
        }
    }
}
