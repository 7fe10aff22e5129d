package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.javanode.JavaNode;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.storage.StorageNode;
import dev.parigot.sim.scheduler.Candidates;
import dev.parigot.sim.scheduler.internal.Prng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a world's nodes come up, and come back. Boot: every node starts ({@code parigot_start}:
 * declarations), the storage service joins if a node requires it, the {@link DependencyGraph}
 * refuses missing services and cycles, then nodes become ready one at a time in an order the
 * strategy picks among those whose requirements are ready ({@code parigot_ready}, each a step).
 * A restart after a crash runs the same start and ready steps on a fresh instance, and refuses
 * a node that declares other services than it did at boot.
 */
final class Boot {
    private static final ApiAccess API = ApiAccess.get();
    /** Replays against changed module bytes already said in this JVM (a sweep of replays says it once). */
    private static final Set<String> MODULES_CHANGED_SAID = ConcurrentHashMap.newKeySet();

    private final Kernel kernel;
    /** The one-line warning of a replay against changed module bytes, or null. */
    String modulesChanged;

    Boot(Kernel kernel) {
        this.kernel = kernel;
    }

    void boot() {
        Kernel k = kernel;
        k.booting = true;
        checkExpectedModules();
        List<DependencyGraph.Declaration> declarations = new ArrayList<>();
        List<Node> members = new ArrayList<>();
        for (Node node : k.nodes) {
            if (node instanceof JavaNode && ((JavaNode) node).isClient()) {
                node.state = Node.State.READY;
                continue;
            }
            start(node);
            members.add(node);
            declarations.add(new DependencyGraph.Declaration(node.name, node.moduleName(), node.moduleId(),
                    List.copyOf(node.exports), List.copyOf(node.requires)));
        }
        if (ModuleDeclarations.storageRequired(declarations)) {
            StorageNode storage = new StorageNode(k, k.nodes.size(), k.faultProfile);
            k.storage = storage;
            k.register(storage);
            k.addLifecycle(storage);
            storage.state = Node.State.STARTED;
            members.add(storage);
            declarations.add(ModuleDeclarations.storage());
            if (storage.persistent()) {
                loadDisks(k, storage, members);
            }
        }
        DependencyGraph graph = new DependencyGraph(declarations);
        graph.problem().ifPresent(problem -> k.fail(FailureKind.BOOT, null, "boot failed: " + problem, null));
        for (Node node : members) {
            for (String service : node.exports) {
                k.providers.computeIfAbsent(service, s -> new ArrayList<>()).add(node);
            }
        }
        for (int index : graph.readyOrderAmong(candidates -> pickReady(candidates, members))) {
            Node node = members.get(index);
            ready(node, "boot failed: " + node.kindLabel() + " '" + node.name + "' is not ready");
            k.afterStep(node);
        }
        k.booting = false;
        k.booted = true;
        k.faults.start();
    }

    /** A deployed unit's storage: each node that requires it finds what it synced before; an unreadable disk fails the boot. */
    private static void loadDisks(Kernel k, StorageNode storage, List<Node> members) {
        for (Node node : members) {
            if (node.requires.contains(StorageNode.SERVICE)) {
                try {
                    storage.load(node);
                } catch (java.io.IOException e) {
                    k.fail(FailureKind.BOOT, node, "boot failed: the storage of node '" + node.name
                            + "' cannot be read: " + e.getMessage(), e);
                }
            }
        }
    }

    /** A crashed node comes back: a fresh instance that starts and becomes ready again. */
    void restart(GuestNode n) {
        Kernel k = kernel;
        List<String> exported = List.copyOf(n.exports);
        List<String> required = List.copyOf(n.requires);
        n.exports.clear();
        n.requires.clear();
        n.random = new Prng(k.choices.chooseSeed());
        n.state = Node.State.CREATED;
        k.recordFault(InjectedFault.Kind.RESTART, n, n.name);
        start(n);
        if (!n.exports.equals(exported) || !n.requires.equals(required)) {
            k.fail(FailureKind.BOOT, n, "node '" + n.name + "' declared other services when it restarted (exports "
                    + n.exports + ", requires " + n.requires + "; before: exports " + exported + ", requires "
                    + required + "); declarations must be a property of the module", null);
        }
        ready(n, "node '" + n.name + "' is not ready after its restart");
        k.nodeRestarted(n);
    }

    /** {@code parigot_start} (or a Java node's start): the node declares what it exports and requires. */
    private void start(Node node) {
        kernel.supervisor.runHandler(node, node::start);
        node.state = Node.State.STARTED;
    }

    /** {@code parigot_ready} as a step of the trace; a non-zero answer fails the world with {@code notReady}. */
    private void ready(Node node, String notReady) {
        Kernel k = kernel;
        k.steps++;
        API.record(k.trace, k.nowNanos, -1, node.index, StepKind.READY, 0, -1, null, 0);
        int[] result = new int[1];
        k.supervisor.runHandler(node, () -> result[0] = node.ready());
        if (result[0] != 0) {
            k.fail(FailureKind.BOOT, node, notReady + ": parigot_ready returned " + result[0], null);
        }
        node.state = Node.State.READY;
    }

    /** A replay against other module bytes than the failure ran says so, once, before anything runs. */
    private void checkExpectedModules() {
        Kernel k = kernel;
        if (k.config.expectedModules().isEmpty()) {
            return;
        }
        List<String> changed = new ArrayList<>();
        Map<String, String> now = k.moduleDigests();
        k.config.expectedModules().forEach((node, digest) -> {
            String actual = now.get(node);
            if (actual == null) {
                changed.add(k.node(node) == null ? "node '" + node + "' is gone" : "node '" + node + "' runs no WASM"
                        + " module now");
            } else if (!actual.startsWith(digest)) {
                changed.add("node '" + node + "' runs module " + actual.substring(0, 16) + ", the failure ran "
                        + digest.substring(0, Math.min(16, digest.length())));
            }
        });
        if (!changed.isEmpty()) {
            String line = "replaying against changed module bytes (" + String.join("; ", changed)
                    + "): the run may not follow the recorded failure";
            modulesChanged = line;
            k.log(null, LogLine.Level.WARN, line);
            // A world that echoes its log has just said it; one that does not says it once per JVM
            // (a sweep of replays would repeat it per seed).
            if (!k.config.echoLog() && MODULES_CHANGED_SAID.add(line)) {
                org.slf4j.LoggerFactory.getLogger("parigot.sim.replay").warn(line);
            }
        }
    }

    /** The strategy picks which of the nodes whose requirements are ready goes next (actors are node indices). */
    private int pickReady(List<Integer> candidates, List<Node> members) {
        List<Integer> indices = new ArrayList<>(candidates.size());
        for (int position : candidates) {
            indices.add(members.get(position).index);
        }
        Candidates ready = new Candidates() {
            @Override
            public int size() {
                return indices.size();
            }

            @Override
            public int actor(int i) {
                return indices.get(i);
            }
        };
        return kernel.strategy.pick(ready, kernel.choices);
    }
}
