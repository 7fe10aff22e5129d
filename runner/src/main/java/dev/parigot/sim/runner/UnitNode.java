package dev.parigot.sim.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a unit: the module file it runs, its name, and the environment variables and
 * arguments it sees through WASI (as {@code NodeOptions} gives them in a simulation). A unit is a
 * plain list of these; the deployment manifest produces them.
 *
 * @param module the {@code .wasm} file
 * @param name the node's name (what {@code PARIGOT_NODE} says)
 * @param environment environment variables, in order
 * @param arguments arguments after the node's name
 */
public record UnitNode(Path module, String name, Map<String, String> environment, List<String> arguments) {

    /** Checks and copies the parts. */
    public UnitNode {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        arguments = List.copyOf(arguments);
    }

    /**
     * A node with no environment and no arguments.
     *
     * @param module the {@code .wasm} file
     * @param name the node's name
     * @return the node
     */
    public static UnitNode of(Path module, String name) {
        return new UnitNode(module, name, Map.of(), List.of());
    }
}
