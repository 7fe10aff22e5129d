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

    public static NodeOptions named(String name) {
        if (name == null || name.isBlank() || name.contains("@") || name.contains("/")) {
            throw new IllegalArgumentException("'" + name + "' is not a node name: use a non-blank name without"
                    + " '@' or '/' (e.g. \"w2\")");
        }
        return new NodeOptions(name);
    }

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

    public NodeOptions args(String... values) {
        Collections.addAll(arguments, values);
        return this;
    }

    public String name() {
        return name;
    }

    public Map<String, String> environment() {
        if (environment.isEmpty()) {
            return Map.of("PARIGOT_NODE", name); // what almost every node has, made without a copy
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("PARIGOT_NODE", name);
        all.putAll(environment);
        return all;
    }

    public List<String> arguments() {
        return List.copyOf(arguments);
    }
}
