package dev.parigot.sim.manifest;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployment manifest, read and checked: the application's nodes (replicas expanded, each with
 * its loaded module, environment and arguments) and the units they are grouped into. The format is
 * docs/deploy.md. Everything is checked when the manifest is read, before anything starts: the
 * file's keys and values, node and unit names, the module files, and, from what the modules
 * declare, that every required service is exported by some node and that nodes do not require
 * each other in a cycle (the same rules as a world's boot). Modules are loaded once, when the
 * manifest is read, so a manifest kept in a static field serves every seed of a sweep:
 *
 * <pre>{@code
 * static final Manifest BANK = Manifest.load(Path.of("bank.yaml"));
 *
 * void deposits(Sim sim) {
 *     BANK.addTo(sim);            // the nodes ledger and teller, as the file describes them
 *     ...
 * }
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class Manifest {
    /** The format version this library reads ({@code version: 1}). */
    public static final int VERSION = 1;

    private final String source;
    private final List<Node> nodes;
    private final List<Unit> units;

    Manifest(String source, List<Node> nodes, List<Unit> units) {
        this.source = source;
        this.nodes = List.copyOf(nodes);
        this.units = List.copyOf(units);
    }

    /**
     * One node of the world, after replica expansion ({@code replicas: 2} of {@code orders} gives
     * {@code orders-1} and {@code orders-2}).
     *
     * @param name the node's name in the world ({@code PARIGOT_NODE})
     * @param declaredAs the name under {@code nodes:} it comes from (equal to {@code name} without replicas)
     * @param moduleFile the module file, resolved against the manifest's directory
     * @param module the loaded module
     * @param environment the WASI environment the file gives it, in file order (the kernel adds {@code PARIGOT_NODE})
     * @param arguments its WASI arguments after {@code argv[0]}, which is its name
     * @param unit the unit it belongs to
     * @param line the line of its name in the manifest
     */
    public record Node(String name, String declaredAs, Path moduleFile, GuestModule module,
            Map<String, String> environment, List<String> arguments, String unit, int line) {

        /** Copies the collections: a node is immutable. */
        public Node {
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            arguments = List.copyOf(arguments);
        }

        /** The options a world adds this node with: name, environment, arguments. */
        public NodeOptions options() {
            NodeOptions options = NodeOptions.named(name);
            environment.forEach(options::env);
            return options.args(arguments.toArray(new String[0]));
        }
    }

    /**
     * A unit: the nodes that will run together in one OS process over the network (in a simulated
     * world every node runs in the one world, whatever its unit).
     *
     * @param name the unit's name
     * @param nodes its nodes' names (replicas expanded), in manifest order
     * @param line the line of its name in the manifest
     */
    public record Unit(String name, List<String> nodes, int line) {

        /** Copies the list: a unit is immutable. */
        public Unit {
            nodes = List.copyOf(nodes);
        }
    }

    /** Reads and checks the manifest {@code file}; every service a node requires must come from a node. */
    public static Manifest load(Path file) {
        return load(file, Set.of());
    }

    /**
     * Reads and checks the manifest {@code file}, counting {@code javaServices} (services the
     * caller adds itself, such as a test's Java fakes) as exported: a node may require them.
     *
     * @throws ManifestException naming every problem found
     */
    public static Manifest load(Path file, Collection<String> javaServices) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ManifestException(file + ": no such manifest (looked for " + file.toAbsolutePath().normalize()
                    + " from the working directory " + Path.of("").toAbsolutePath() + "); give the right path", e);
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read the manifest: " + e, e);
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        return ManifestReader.read(text, dir, file.toString(), javaServices);
    }

    /** Reads and checks a manifest's text; module paths are relative to {@code baseDir}. */
    public static Manifest parse(String text, Path baseDir) {
        return parse(text, baseDir, Set.of());
    }

    /**
     * Reads and checks a manifest's text, counting {@code javaServices} as exported (see
     * {@link #load(Path, Collection)}); module paths are relative to {@code baseDir}.
     *
     * @throws ManifestException naming every problem found
     */
    public static Manifest parse(String text, Path baseDir, Collection<String> javaServices) {
        return ManifestReader.read(text, baseDir.toAbsolutePath().normalize(), "manifest", javaServices);
    }

    /**
     * Adds every node to {@code sim}, in manifest order (replicas in order), each with its name,
     * environment and arguments, as {@code sim.add(module, options)} would by hand. Java services
     * and test clients are the test's to add.
     */
    public Sim addTo(Sim sim) {
        for (Node node : nodes) {
            sim.add(node.module(), node.options());
        }
        return sim;
    }

    /** The nodes, replicas expanded, in manifest order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node named {@code name}. */
    public Node node(String name) {
        for (Node node : nodes) {
            if (node.name().equals(name)) {
                return node;
            }
        }
        throw new IllegalArgumentException("no node '" + name + "' in " + source + "; nodes: "
                + nodes.stream().map(Node::name).toList());
    }

    /** The units, in manifest order. */
    public List<Unit> units() {
        return units;
    }

    /** The file the manifest was read from as given, or "manifest" for text. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Manifest[" + source + ", nodes " + nodes.stream().map(Node::name).toList() + ", units "
                + units.stream().map(Unit::name).toList() + "]";
    }
}
