package dev.parigot.sim.runner;

import java.util.List;
import java.util.Objects;

/**
 * One unit of a deployment: the nodes that run together in one process, where calls between them
 * stay in-process. The deployment manifest produces a list of these.
 *
 * @param name the unit's name (in logs and in the launcher's reports)
 * @param nodes its nodes, in order
 */
public record UnitSpec(String name, List<UnitNode> nodes) {

    /** Checks and copies the parts. */
    public UnitSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a unit name: use letters, digits, '.', '_' or '-'");
        }
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("unit " + name + " has no node; give it at least one");
        }
    }
}
