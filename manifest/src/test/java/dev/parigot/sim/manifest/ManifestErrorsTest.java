package dev.parigot.sim.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a manifest can be wrong, and the sentence that says so: where (the file and the line),
 * what is wrong and what to do. All of them are found while reading, before anything starts.
 */
class ManifestErrorsTest {

    private static ManifestException problems(String yaml) {
        return catchThrowableOfType(ManifestException.class, () -> Manifest.parse(Guests.text(yaml), Path.of(".")));
    }

    private static String problem(String yaml) {
        ManifestException e = problems(yaml);
        assertThat(e).as("a problem in\n" + yaml).isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.getMessage();
    }

    // ---- the file itself ----

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheKeysThatArePossibleThere() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger:
                    module: $SAMPLES/ledger.wasm
                    replica: 2
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:5: unknown key 'replica' in node 'ledger'; the keys there are args, env,"
                + " module, replicas (see docs/deploy.md)");
        assertThat(problem("""
                verzion: 1
                """)).isEqualTo("manifest:1: unknown key 'verzion' in the top level of the manifest; the keys"
                + " there are nodes, units, version (see docs/deploy.md)");
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store:
                    node: [ledger]
                """)).isEqualTo("manifest:6: unknown key 'node' in unit 'store'; the keys there are nodes (see"
                + " docs/deploy.md)");
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNotALastOneWins() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                  ledger: {module: $SAMPLES/teller.wasm}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:4: key 'ledger' appears twice in one mapping; give each key once (two"
                + " nodes or units need two names)");
    }

    @Test
    void aValueOfTheWrongKindSaysWhatItMustBe() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger:
                    module: $SAMPLES/ledger.wasm
                    replicas: two
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:5: key 'replicas' of node 'ledger' must be a whole number, not \"two\"");
        assertThat(problem("""
                version: 1
                nodes:
                  ledger:
                    module: $SAMPLES/ledger.wasm
                    args: --verbose
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:5: key 'args' of node 'ledger' must be a list ([a, b] or one '- item' per"
                + " line)");
        assertThat(problem("""
                version: 1
                nodes: [ledger, teller]
                """)).isEqualTo("manifest:2: key 'nodes' must be a mapping (one 'key: value' per line)");
    }

    @Test
    void yamlThatDoesNotParseIsReportedWithItsLineAndColumn() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: : x
                """)).isEqualTo("manifest:3: not valid YAML: mapping values are not allowed here (column 9)");
    }

    @Test
    void aSecondYamlDocumentInTheFileIsRefused() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger]}
                ---
                version: 1
                """)).isEqualTo("manifest:7: a second YAML document follows the manifest; a manifest is one document:"
                + " remove what follows the '---', or give it its own file");
    }

    @Test
    void anEmptyFileOrOneWithoutVersionOrWithAnotherVersionIsRefused() {
        assertThat(problem("# nothing yet\n")).isEqualTo("manifest: the manifest is empty; it needs version: 1,"
                + " nodes: and units: (see docs/deploy.md)");
        assertThat(problem("""
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest: the manifest has no version; start it with version: 1");
        assertThat(problem("""
                version: 2
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest: version 2 is not a manifest version this Parigot Sim reads; it reads"
                + " version: 1");
    }

    @Test
    void aManifestReadFromAFileIsNamedByItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bank.yaml");
        Files.writeString(file, "version: 1\nnodes:\n  ledger:\n    modul: ledger.wasm\n");

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifest.load(file));

        assertThat(e).hasMessageStartingWith(file + ":4: unknown key 'modul' in node 'ledger'");
        assertThat(catchThrowableOfType(ManifestException.class, () -> Manifest.load(dir.resolve("gone.yaml"))))
                .hasMessageStartingWith(dir.resolve("gone.yaml") + ": no such manifest (looked for ");
    }

    // ---- nodes ----

    @Test
    void aManifestWithoutNodesOrUnitsSaysHowToWriteThem() {
        ManifestException e = problems("""
                version: 1
                """);
        assertThat(e.problems()).containsExactly(
                "manifest: the manifest declares no nodes; list them under nodes: (e.g. nodes: {ledger: {module:"
                        + " ledger.wasm}})",
                "manifest: the manifest has no units; group every node into one under units: (e.g. units: {bank:"
                        + " {nodes: [ledger, teller]}}): a unit is the nodes that run together in one process");
    }

    @Test
    void aNodeWithoutModuleOrWithAModuleFileThatIsNotThereIsNamedWithItsLine() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger:
                    env: {A: b}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:3: node 'ledger' has no module; give the path of its .wasm file, relative"
                + " to the manifest (module: ledger.wasm)");
        assertThat(problem("""
                version: 1
                nodes:
                  ledger:
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:3: node 'ledger' has no keys; give at least its module (module:"
                + " ledger.wasm)");
        Path here = Path.of(".").toAbsolutePath().normalize();
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: guests/ledgr.wasm}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:3: node 'ledger': module file guests/ledgr.wasm does not exist (looked for "
                + here.resolve("guests/ledgr.wasm") + "); build the guest first, or fix the path, which is relative"
                + " to the manifest's directory " + here);
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:3: node 'ledger': module " + Guests.SAMPLES + " is a directory ("
                + Guests.SAMPLES + "); give the path of a .wasm file");
    }

    @Test
    void aModuleFileThatIsNotAnAbiV1ModuleIsNamedWithItsNode(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.wasm"), "not wasm");
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifest.parse("""
                version: 1
                nodes:
                  notes: {module: notes.wasm}
                units:
                  all: {nodes: [notes]}
                """, dir));

        assertThat(e).hasMessageStartingWith("manifest:3: node 'notes': module notes.wasm cannot be loaded: ");
    }

    @Test
    void namesWithAtOrSlashAreRefusedAsTheKernelRefusesThem() {
        ManifestException e = problems("""
                version: 1
                nodes:
                  "ledger@eu": {module: $SAMPLES/ledger.wasm}
                  "bank/teller": {module: $SAMPLES/teller.wasm}
                units:
                  "front/back": {nodes: [ledger@eu, bank/teller]}
                """);

        assertThat(e.problems()).containsExactly(
                "manifest:3: 'ledger@eu' is not a node name: use a non-blank name without '@' or '/' (e.g. \"w2\")",
                "manifest:4: 'bank/teller' is not a node name: use a non-blank name without '@' or '/' (e.g."
                        + " \"w2\")",
                "manifest:6: 'front/back' is not a unit name: use a non-blank name without '@' or '/' (e.g."
                        + " \"front\")");
    }

    @Test
    void replicasBelowOneAreRefused() {
        assertThat(problem("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 0}
                units:
                  kv: {nodes: [kv]}
                """)).isEqualTo("manifest:3: node 'kv' has replicas: 0; give 1 or more (replicas: 3 runs kv-1, kv-2"
                + " and kv-3), or leave it out for one node named kv");
    }

    @Test
    void nodeNamesMustBeUniqueAfterReplicasAreExpanded() {
        assertThat(problem("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 2}
                  kv-2: {module: $SAMPLES/rkv_fixed.wasm}
                units:
                  kv: {nodes: [kv, kv-2]}
                """)).isEqualTo("manifest:4: node name 'kv-2' is given twice: to replica 2 of node 'kv' (line 3) and"
                + " to node 'kv-2' (line 4); rename one (replicas of node 'x' are named x-1, x-2, ...)");
    }

    @Test
    void anEnvironmentEntryWithoutValueOrWithTheKernelsNameIsRefused() {
        ManifestException e = problems("""
                version: 1
                nodes:
                  ledger:
                    module: $SAMPLES/ledger.wasm
                    env:
                      EMPTY:
                      PARIGOT_NODE: me
                units:
                  store: {nodes: [ledger]}
                """);

        assertThat(e.problems()).containsExactly(
                "manifest:3: env EMPTY of node 'ledger' has no value; write EMPTY: \"\" for an empty one",
                "manifest:3: env of node 'ledger': PARIGOT_NODE is set by the kernel to the node's name");
    }

    @Test
    void anEmptyArgumentIsRefused() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm, args: [--a, ~]}
                units:
                  store: {nodes: [ledger]}
                """)).isEqualTo("manifest:3: argument 2 of node 'ledger' has no value (an empty item or ~ is null in"
                + " YAML); write \"\" for an empty argument");
    }

    // ---- units ----

    @Test
    void aNodeInTwoUnitsIsRefused() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger]}
                  copy: {nodes: [ledger]}
                """)).isEqualTo("manifest:6: node 'ledger' is in unit 'store' (line 5) and in unit 'copy' (line 6); a"
                + " node runs in exactly one unit: remove it from one");
        assertThat(problem("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 2}
                units:
                  all: {nodes: [kv]}
                  second: {nodes: [kv-2]}
                """)).isEqualTo("manifest:6: node 'kv-2' is in unit 'all' (line 5) and in unit 'second' (line 6); a"
                + " node runs in exactly one unit: remove it from one");
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger, ledger]}
                """)).isEqualTo("manifest:5: node 'ledger' is listed twice in unit 'store'; list it once");
    }

    @Test
    void aNodeInNoUnitIsRefusedAtItsOwnLine() {
        assertThat(problem("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 2}
                units:
                  first: {nodes: [kv-1]}
                """)).isEqualTo("manifest:3: node 'kv-2' is in no unit; add it to one under units: (every node runs in"
                + " exactly one unit)");
    }

    @Test
    void aUnitNamingAnUndeclaredNodeOrNoneIsRefused() {
        ManifestException e = problems("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  store: {nodes: [ledger, legder]}
                  empty: {nodes: []}
                """);

        assertThat(e.problems()).containsExactly(
                "manifest:5: unit 'store' names node 'legder', which the manifest does not declare (nodes: ledger)",
                "manifest:6: unit 'empty' lists no nodes; give them (nodes: [a, b]) or remove the unit");
    }

    // ---- services, from what the modules declare ----

    @Test
    void aUnitThatRequiresAServiceNoNodeExportsIsNamedWithTheService() {
        assertThat(problem("""
                version: 1
                nodes:
                  teller: {module: $SAMPLES/teller.wasm}
                units:
                  front: {nodes: [teller]}
                """)).isEqualTo("manifest:3: unit 'front' requires bank.v1.Ledger (node 'teller' does), which no node"
                + " of the manifest exports; add a node whose module exports it, or, in a test that adds it as a Java"
                + " service, pass its name to Manifest.load(file, javaServices) (services exported: bank.v1.Teller)");
    }

    @Test
    void aDependencyCycleIsNamedWithItsWholePath() {
        assertThat(problem("""
                version: 1
                nodes:
                  a: {module: $KERNEL/cycle_a.wasm}
                  b: {module: $KERNEL/cycle_b.wasm}
                  c: {module: $KERNEL/cycle_c.wasm}
                units:
                  ab: {nodes: [a, b]}
                  c: {nodes: [c]}
                """)).isEqualTo("manifest: dependency cycle: cycle.v1.B (node 'b'), which requires cycle.v1.C (node"
                + " 'c'), which requires cycle.v1.A (node 'a'), which requires cycle.v1.B; nodes that require each"
                + " other cannot be started in any order: break the cycle (a node that requires the service it"
                + " exports itself is a peer of its replicas, not a cycle)");
    }

    @Test
    void oneServiceFromTwoModulesIsRefusedAsBootRefusesIt() {
        assertThat(problem("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                  teller: {module: $SAMPLES/teller.wasm}
                  teller2: {module: $SAMPLES/teller_fixed.wasm}
                units:
                  bank: {nodes: [ledger, teller, teller2]}
                """)).isEqualTo("manifest: service bank.v1.Teller is exported by node 'teller' (module teller) and by"
                + " node 'teller2' (module teller_fixed); replicas of one service must run the same module");
        assertThat(catchThrowableOfType(ManifestException.class, () -> Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm}
                units:
                  bank: {nodes: [ledger]}
                """), Path.of("."), Set.of("bank.v1.Ledger")))).hasMessage("manifest: service bank.v1.Ledger is"
                + " exported by node 'ledger' (module ledger) and by node 'java' (module Java services the caller"
                + " provides); replicas of one service must run the same module");
    }

    @Test
    void everyProblemOfARoundIsReportedAtOnceInFileOrder() {
        ManifestException e = problems("""
                version: 1
                nodes:
                  ledger: {module: $SAMPLES/ledger.wasm, replicas: -1}
                  teller: {module: teller.wasm}
                units:
                  front: {nodes: [teller]}
                """);

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("manifest:3: node 'ledger' has replicas: -1;");
        assertThat(e.problems().get(1)).startsWith("manifest:4: node 'teller': module file teller.wasm does not"
                + " exist");
        assertThat(e).hasMessageStartingWith("2 problems in the manifest:\n  manifest:3: ");
    }
}
