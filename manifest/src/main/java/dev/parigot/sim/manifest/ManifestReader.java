package dev.parigot.sim.manifest;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.internal.BootPlan;
import dev.parigot.sim.manifest.ManifestYaml.Entry;
import dev.parigot.sim.manifest.ManifestYaml.FileFields;
import dev.parigot.sim.manifest.ManifestYaml.NodeFields;
import dev.parigot.sim.manifest.ManifestYaml.UnitFields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * From the file's records to a {@link Manifest}, in three rounds, each only if the one before
 * found nothing wrong: the file's own rules (version, names, module files, replicas, environment,
 * arguments, units), then the modules (loaded once per file), then the services they declare
 * (through the kernel's {@link BootPlan}, the rules of a world's boot). Each round reports every
 * problem it finds.
 */
final class ManifestReader {
    private final String source;
    private final Path dir;
    private final List<String> problems = new ArrayList<>();
    /** Two nodes got one name: which node a unit lists is then ambiguous, so units wait for the fix. */
    private boolean namesAmbiguous;

    /** A node after replica expansion, before its module is loaded. */
    private record Planned(String name, String declaredAs, int replica, int replicas, String module, Path file,
            Map<String, String> env, List<String> args, int line) {

        String describe() {
            return (replicas == 1 ? "node '" + name + "'" : "replica " + replica + " of node '" + declaredAs + "'")
                    + " (line " + line + ")";
        }
    }

    private ManifestReader(String source, Path dir) {
        this.source = source;
        this.dir = dir;
    }

    static Manifest read(String text, Path dir, String source, Collection<String> javaServices) {
        return new ManifestReader(source, dir).read(text, javaServices);
    }

    private Manifest read(String text, Collection<String> javaServices) {
        FileFields file = ManifestYaml.read(text, source);
        if (file == null) {
            throw new ManifestException(List.of(source + ": the manifest is empty; it needs version: 1, nodes: and"
                    + " units: (see docs/deploy.md)"));
        }
        checkVersion(file.version);
        Map<String, Planned> planned = expandNodes(file.nodes);
        Map<String, String> unitOf = new LinkedHashMap<>();
        List<Manifest.Unit> units = groupUnits(file.units, file.nodes, planned, unitOf);
        stopIfProblems();
        Map<String, GuestModule> modules = loadModules(planned);
        stopIfProblems();
        checkServices(planned, modules, unitOf, javaServices);
        stopIfProblems();
        List<Manifest.Node> nodes = new ArrayList<>();
        for (Planned p : planned.values()) {
            nodes.add(new Manifest.Node(p.name(), p.declaredAs(), p.file(), modules.get(p.name()), p.env(), p.args(),
                    unitOf.get(p.name()), p.line()));
        }
        return new Manifest(source, nodes, units);
    }

    private void checkVersion(Integer version) {
        if (version == null) {
            problem(0, "the manifest has no version; start it with version: " + Manifest.VERSION);
        } else if (version != Manifest.VERSION) {
            problem(0, "version " + version + " is not a manifest version this Parigot Sim reads; it reads version: "
                    + Manifest.VERSION);
        }
    }

    // ---- nodes ----

    /** Every node of the file, replicas expanded, by name in file order. */
    private Map<String, Planned> expandNodes(List<Entry<NodeFields>> entries) {
        Map<String, Planned> planned = new LinkedHashMap<>();
        if (entries == null || entries.isEmpty()) {
            problem(0, "the manifest declares no nodes; list them under nodes: (e.g. nodes: {ledger: {module:"
                    + " ledger.wasm}})");
            return planned;
        }
        for (Entry<NodeFields> entry : entries) {
            for (Planned p : plan(entry)) {
                Planned other = planned.putIfAbsent(p.name(), p);
                if (other != null) {
                    namesAmbiguous = true;
                    problem(p.line(), "node name '" + p.name() + "' is given twice: to " + other.describe() + " and to "
                            + p.describe() + "; rename one (replicas of node 'x' are named x-1, x-2, ...)");
                }
            }
        }
        return planned;
    }

    /** One entry of nodes: checked, then expanded into its replicas (none if it is unusable). */
    private List<Planned> plan(Entry<NodeFields> entry) {
        String name = entry.name();
        int line = entry.line();
        boolean usable = true;
        try {
            NodeOptions.named(name);
        } catch (IllegalArgumentException e) {
            problem(line, e.getMessage());
            usable = false;
        }
        NodeFields fields = entry.value();
        if (fields == null) {
            problem(line, "node '" + name + "' has no keys; give at least its module (module: " + name + ".wasm)");
            return List.of();
        }
        Path file = moduleFile(name, fields.module, line);
        int replicas = fields.replicas == null ? 1 : fields.replicas;
        if (replicas < 1) {
            problem(line, "node '" + name + "' has replicas: " + replicas + "; give 1 or more (replicas: 3 runs "
                    + name + "-1, " + name + "-2 and " + name + "-3), or leave it out for one node named " + name);
        }
        Map<String, String> env = environment(name, fields.env, line);
        List<String> args = arguments(name, fields.args, line);
        if (!usable || file == null || replicas < 1 || env == null || args == null) {
            return List.of();
        }
        List<Planned> out = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            String replicaName = replicas == 1 ? name : name + "-" + i;
            out.add(new Planned(replicaName, name, i, replicas, fields.module, file, env, args, line));
        }
        return out;
    }

    private Path moduleFile(String node, String module, int line) {
        if (module == null || module.isBlank()) {
            problem(line, "node '" + node + "' has no module; give the path of its .wasm file, relative to the"
                    + " manifest (module: " + node + ".wasm)");
            return null;
        }
        Path file;
        try {
            file = dir.resolve(module).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            problem(line, "node '" + node + "': module '" + module + "' is not a path (" + e.getReason() + ")");
            return null;
        }
        if (!Files.exists(file)) {
            problem(line, "node '" + node + "': module file " + module + " does not exist (looked for " + file
                    + "); build the guest first, or fix the path, which is relative to the manifest's directory "
                    + dir);
            return null;
        }
        if (Files.isDirectory(file)) {
            problem(line, "node '" + node + "': module " + module + " is a directory (" + file
                    + "); give the path of a .wasm file");
            return null;
        }
        return file;
    }

    /** The node's environment, checked by the same rule as NodeOptions.env; null if unusable. */
    private Map<String, String> environment(String node, Map<String, String> env, int line) {
        if (env == null) {
            return Map.of();
        }
        boolean usable = true;
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                problem(line, "env " + e.getKey() + " of node '" + node + "' has no value; write " + e.getKey()
                        + ": \"\" for an empty one");
                usable = false;
                continue;
            }
            try {
                NodeOptions.named("check").env(e.getKey(), e.getValue());
            } catch (IllegalArgumentException bad) {
                problem(line, "env of node '" + node + "': " + bad.getMessage());
                usable = false;
            }
        }
        return usable ? env : null;
    }

    private List<String> arguments(String node, List<String> args, int line) {
        if (args == null) {
            return List.of();
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                problem(line, "argument " + (i + 1) + " of node '" + node + "' has no value (an empty item or ~ is"
                        + " null in YAML); write \"\" for an empty argument");
                return null;
            }
        }
        return args;
    }

    // ---- units ----

    private List<Manifest.Unit> groupUnits(List<Entry<UnitFields>> entries, List<Entry<NodeFields>> declared,
            Map<String, Planned> planned, Map<String, String> unitOf) {
        List<Manifest.Unit> units = new ArrayList<>();
        if (namesAmbiguous) {
            return units;
        }
        if (entries == null || entries.isEmpty()) {
            problem(0, "the manifest has no units; group every node into one under units: (e.g. units: {bank:"
                    + " {nodes: [ledger, teller]}}): a unit is the nodes that run together in one process");
            return units;
        }
        Map<String, Integer> unitLine = new LinkedHashMap<>();
        for (Entry<UnitFields> entry : entries) {
            String unit = entry.name();
            unitLine.put(unit, entry.line());
            if (unit.isBlank() || unit.contains("@") || unit.contains("/")) {
                problem(entry.line(), "'" + unit + "' is not a unit name: use a non-blank name without '@' or '/'"
                        + " (e.g. \"front\")");
            }
            if (entry.value() == null || entry.value().nodes == null || entry.value().nodes.isEmpty()) {
                problem(entry.line(), "unit '" + unit + "' lists no nodes; give them (nodes: [a, b]) or remove the"
                        + " unit");
                continue;
            }
            List<String> members = new ArrayList<>();
            for (String listed : entry.value().nodes) {
                for (String member : members(listed, declared, planned, unit, entry.line())) {
                    String other = unitOf.putIfAbsent(member, unit);
                    if (other == null) {
                        members.add(member);
                    } else if (other.equals(unit)) {
                        problem(entry.line(), "node '" + member + "' is listed twice in unit '" + unit + "'; list"
                                + " it once");
                    } else {
                        problem(entry.line(), "node '" + member + "' is in unit '" + other + "' (line "
                                + unitLine.get(other) + ") and in unit '" + unit + "' (line " + entry.line()
                                + "); a node runs in exactly one unit: remove it from one");
                    }
                }
            }
            units.add(new Manifest.Unit(unit, members, entry.line()));
        }
        for (Planned p : planned.values()) {
            if (!unitOf.containsKey(p.name())) {
                problem(p.line(), "node '" + p.name() + "' is in no unit; add it to one under units: (every node"
                        + " runs in exactly one unit)");
            }
        }
        return units;
    }

    /** The nodes a unit's item names: a declared node stands for all its replicas, a replica for itself. */
    private List<String> members(String listed, List<Entry<NodeFields>> declared, Map<String, Planned> planned,
            String unit, int line) {
        if (listed == null) {
            problem(line, "unit '" + unit + "' lists an empty node name (an empty item or ~ is null in YAML);"
                    + " remove it");
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (Planned p : planned.values()) {
            if (p.declaredAs().equals(listed) || p.name().equals(listed)) {
                members.add(p.name());
            }
        }
        boolean declaredButUnusable = declared != null && declared.stream().anyMatch(e -> e.name().equals(listed));
        if (members.isEmpty() && !declaredButUnusable) {
            problem(line, "unit '" + unit + "' names node '" + listed + "', which the manifest does not declare"
                    + " (nodes: " + String.join(", ", planned.keySet()) + ")");
        }
        return members;
    }

    // ---- modules and services ----

    /** Each node's module, every file loaded once. */
    private Map<String, GuestModule> loadModules(Map<String, Planned> planned) {
        Map<Path, GuestModule> byFile = new LinkedHashMap<>();
        Map<String, GuestModule> modules = new LinkedHashMap<>();
        for (Planned p : planned.values()) {
            GuestModule module = byFile.get(p.file());
            if (module == null && !byFile.containsKey(p.file())) {
                try {
                    module = GuestModule.load(p.file());
                } catch (ModuleException e) {
                    problem(p.line(), "node '" + p.declaredAs() + "': module " + p.module() + " cannot be loaded: "
                            + e.getMessage());
                }
                byFile.put(p.file(), module);
            }
            if (module != null) {
                modules.put(p.name(), module);
            }
        }
        return modules;
    }

    /** Boot's rules, before anything starts: one module per service, nothing missing, no cycle. */
    private void checkServices(Map<String, Planned> planned, Map<String, GuestModule> modules,
            Map<String, String> unitOf, Collection<String> javaServices) {
        BootPlan plan;
        try {
            plan = BootPlan.of(modules, javaServices);
        } catch (ModuleException e) {
            problem(0, e.getMessage());
            return;
        }
        plan.conflict().ifPresent(conflict -> problem(0, conflict));
        Set<String> said = new HashSet<>(); // a unit's missing service once, even if several of its nodes need it
        for (BootPlan.Missing m : plan.missing()) {
            String unit = unitOf.get(m.node());
            if (!said.add(unit + " " + m.service())) {
                continue;
            }
            problem(planned.get(m.node()).line(), "unit '" + unit + "' requires " + m.service() + " (node '"
                    + m.node() + "' does), which no node of the manifest exports; add a node whose module exports it,"
                    + " or, in a test that adds it as a Java service, pass its name to Manifest.load(file,"
                    + " javaServices) (services exported: " + plan.exportedText() + ")");
        }
        plan.cycle().ifPresent(cycle -> problem(0, "dependency cycle: " + cycle + "; nodes that require each"
                + " other cannot be started in any order: break the cycle (a node that requires the service it"
                + " exports itself is a peer of its replicas, not a cycle)"));
    }

    private void problem(int line, String sentence) {
        problems.add(source + (line > 0 ? ":" + line : "") + ": " + sentence);
    }

    private void stopIfProblems() {
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
    }
}
