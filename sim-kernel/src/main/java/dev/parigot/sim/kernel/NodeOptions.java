package dev.parigot.sim.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one node of a module runs: its name (default: the module's), its WASI environment (the
 * kernel adds {@code PARIGOT_NODE}) and arguments. Several nodes of one module are replicas.
 */
public final class NodeOptions {
    private final String name;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();

    private NodeOptions(String name) {
        this.name = name;
    }

    /**
     * Options for a node called {@code name}, with no extra environment or arguments.
     *
     * @throws IllegalArgumentException if the name is null, blank, or contains '@' or '/'
     */
    public static NodeOptions named(String name) {
        if (name == null || name.isBlank() || name.contains("@") || name.contains("/")) {
            throw new IllegalArgumentException("'" + name + "' is not a node name: use a non-blank name without"
                    + " '@' or '/' (e.g. \"w2\")");
        }
        return new NodeOptions(name);
    }

    /**
     * Sets one WASI environment variable of the node (a later value for the same key wins).
     *
     * @throws IllegalArgumentException if the key is null, empty, contains '=', or is
     *     {@code PARIGOT_NODE} (the kernel sets that to the node's name)
     */
    public NodeOptions env(String key, String value) {
        if (key == null || key.isEmpty() || key.contains("=")) {
            throw new IllegalArgumentException("'" + key + "' is not an environment variable name");
        }
        if (key.equals("PARIGOT_NODE")) {
            throw new IllegalArgumentException("PARIGOT_NODE is set by the kernel to the node's name");
        }
        environment.put(key, value);
        return this;
    }

    /** Appends WASI arguments: the node's argv is its name ({@code argv[0]}) followed by these. */
    public NodeOptions args(String... values) {
        Collections.addAll(arguments, values);
        return this;
    }

    /** The node's name. */
    public String name() {
        return name;
    }

    /**
     * The node's whole WASI environment: {@code PARIGOT_NODE} (the node's name) first, then the
     * variables set with {@link #env}, in the order first set.
     */
    public Map<String, String> environment() {
        if (environment.isEmpty()) {
            return Map.of("PARIGOT_NODE", name); // what almost every node has, made without a copy
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("PARIGOT_NODE", name);
        all.putAll(environment);
        return all;
    }

    /**
     * The arguments given with {@link #args}, in order (without the node's name, which the kernel
     * puts first in argv).
     */
    public List<String> arguments() {
        return List.copyOf(arguments);
    }
}
