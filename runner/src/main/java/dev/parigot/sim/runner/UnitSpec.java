package dev.parigot.sim.runner;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of a deployment: the nodes that run together in one process, where calls between them
 * stay in-process. The deployment manifest produces a list of these.
 *
 * @param name the unit's name (in logs and in the launcher's reports)
 * @param nodes its guest nodes, in order
 * @param javaServices Java fakes of outside systems it also runs: node name to the name of a class
 *     on the class path that implements {@code Supplier<JavaService>} with a public no-argument
 *     constructor
 */
public record UnitSpec(String name, List<UnitNode> nodes, Map<String, String> javaServices) {

    /**
     * A unit of guest nodes only.
     *
     * @param name the unit's name
     * @param nodes its guest nodes
     */
    public UnitSpec(String name, List<UnitNode> nodes) {
        this(name, nodes, Map.of());
    }

    /** Checks and copies the parts. */
    public UnitSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a unit name: use letters, digits, '.', '_' or '-'");
        }
        nodes = List.copyOf(nodes);
        javaServices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(javaServices));
        if (nodes.isEmpty() && javaServices.isEmpty()) {
            throw new IllegalArgumentException("unit " + name + " has no node; give it at least one");
        }
    }
}
