package dev.parigot.sim.kernel.internal.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * The boot graph of a world: which node provides each service, which services each node
 * requires, the errors that stop boot (a missing service, one service from two modules, a
 * cycle) and the order of {@code parigot_ready} (a node only after everything it requires).
 * Pure: it knows nodes only by their declarations.
 */
public final class DependencyGraph {

    /**
     * What one node declared in parigot_start. {@code moduleId} identifies the code (the module
     * digest): replicas of a service must share it; {@code module} is its name for messages.
     */
    public record Declaration(String node, String module, String moduleId, List<String> exports,
            List<String> requires) {

        public Declaration(String node, String module, List<String> exports, List<String> requires) {
            this(node, module, module, exports, requires);
        }
    }

    private final List<Declaration> nodes;
    private final Map<String, List<Integer>> providers = new LinkedHashMap<>();

    public DependencyGraph(List<Declaration> nodes) {
        this.nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            for (String service : nodes.get(i).exports()) {
                providers.computeIfAbsent(service, s -> new ArrayList<>()).add(i);
            }
        }
    }

    /** A service that a node requires and no node exports. */
    public record Missing(String node, String service) {
    }

    /** The first reason this graph cannot boot, as one sentence, or empty if it can. */
    public Optional<String> problem() {
        Optional<String> conflict = conflict();
        if (conflict.isPresent()) {
            return conflict;
        }
        List<Missing> missing = missing();
        if (!missing.isEmpty()) {
            List<String> each = new ArrayList<>();
            for (Missing m : missing) {
                each.add("node '" + m.node() + "' requires " + m.service());
            }
            return Optional.of(String.join("; ", each) + ", which no node exports; add a node whose module"
                    + " exports it (services exported: " + exportedText() + ")");
        }
        return findCycle().map(cycle -> "dependency cycle: " + cycle
                + "; services that require each other cannot be made ready in any order");
    }

    /** One service exported by nodes of different modules, as a sentence, if any. */
    public Optional<String> conflict() {
        for (Map.Entry<String, List<Integer>> e : providers.entrySet()) {
            List<Integer> p = e.getValue();
            for (int i = 1; i < p.size(); i++) {
                Declaration a = nodes.get(p.get(0));
                Declaration b = nodes.get(p.get(i));
                if (!a.moduleId().equals(b.moduleId())) {
                    return Optional.of("service " + e.getKey() + " is exported by node '" + a.node() + "' (module "
                            + a.module() + ") and by node '" + b.node() + "' (module " + b.module()
                            + "); replicas of one service must run the same module");
                }
            }
        }
        return Optional.empty();
    }

    /** Every service a node requires and no node exports, in declaration order. */
    public List<Missing> missing() {
        List<Missing> missing = new ArrayList<>();
        for (Declaration d : nodes) {
            for (String r : d.requires()) {
                if (!providers.containsKey(r)) {
                    missing.add(new Missing(d.node(), r));
                }
            }
        }
        return missing;
    }

    /** The services some node exports, comma-separated in declaration order, or "none". */
    public String exportedText() {
        return providers.isEmpty() ? "none" : String.join(", ", providers.keySet());
    }

    /** The services on one cycle as "a (node x) requires b (node y), which requires a", if any. */
    public Optional<String> findCycle() {
        int n = nodes.size();
        int[] color = new int[n];
        int[] via = new int[n];
        String[] viaService = new String[n];
        for (int start = 0; start < n; start++) {
            if (color[start] == 0) {
                Optional<String> c = visit(start, color, via, viaService);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> visit(int node, int[] color, int[] via, String[] viaService) {
        color[node] = 1;
        for (String service : nodes.get(node).requires()) {
            if (isPeer(node, service)) {
                continue;
            }
            for (int next : providers.getOrDefault(service, List.of())) {
                if (color[next] == 1) {
                    return Optional.of(describeCycle(node, next, service, via, viaService));
                }
                if (color[next] == 0) {
                    via[next] = node;
                    viaService[next] = service;
                    Optional<String> c = visit(next, color, via, viaService);
                    if (c.isPresent()) {
                        return c;
                    }
                }
            }
        }
        color[node] = 2;
        return Optional.empty();
    }

    private String describeCycle(int from, int to, String closing, int[] via, String[] viaService) {
        // Walk back from 'from' to 'to' to list the services on the cycle in order.
        List<String> services = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        services.add(closing);
        owners.add(to);
        for (int cur = from; cur != to; cur = via[cur]) {
            services.add(0, viaService[cur]);
            owners.add(0, cur);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < services.size(); i++) {
            s.append(i == 0 ? "" : ", which requires ").append(services.get(i))
                    .append(" (node '").append(nodes.get(owners.get(i)).node()).append("')");
        }
        s.append(", which requires ").append(services.get(0));
        return s.toString();
    }

    /**
     * The order in which nodes get {@code parigot_ready}: at each point the nodes whose
     * requirements are all ready are the candidates (in declaration order), and {@code pick}
     * chooses among them given their count. Call only when {@link #problem()} is empty.
     */
    public List<Integer> readyOrder(IntUnaryOperator pick) {
        return readyOrderAmong(candidates -> pick.applyAsInt(candidates.size()));
    }

    /** As {@link #readyOrder(IntUnaryOperator)}, with the candidate node indices given to {@code pick}. */
    public List<Integer> readyOrderAmong(java.util.function.ToIntFunction<List<Integer>> pick) {
        int n = nodes.size();
        boolean[] ready = new boolean[n];
        List<Integer> order = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>();
        while (order.size() < n) {
            candidates.clear();
            for (int i = 0; i < n; i++) {
                if (!ready[i] && requirementsReady(i, ready)) {
                    candidates.add(i);
                }
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("no node can become ready; check problem() first");
            }
            int chosen = candidates.get(candidates.size() == 1 ? 0 : pick.applyAsInt(List.copyOf(candidates)));
            ready[chosen] = true;
            order.add(chosen);
        }
        return order;
    }

    /**
     * Replicas that require the service they export themselves (peers of a consensus group)
     * talk to each other with service@node; they do not wait for each other to be ready.
     */
    private boolean isPeer(int node, String service) {
        return nodes.get(node).exports().contains(service);
    }

    private boolean requirementsReady(int node, boolean[] ready) {
        for (String service : nodes.get(node).requires()) {
            if (isPeer(node, service)) {
                continue;
            }
            for (int p : providers.get(service)) {
                if (!ready[p]) {
                    return false;
                }
            }
        }
        return true;
    }

    public List<Declaration> nodes() {
        return nodes;
    }

    /** Nodes that export {@code service}, in declaration order. */
    public List<Integer> providers(String service) {
        return providers.getOrDefault(service, List.of());
    }
}
