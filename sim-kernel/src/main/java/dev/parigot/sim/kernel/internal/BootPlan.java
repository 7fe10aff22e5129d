package dev.parigot.sim.kernel.internal;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.internal.world.DependencyGraph;
import dev.parigot.sim.kernel.internal.world.ModuleDeclarations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Boot's dependency checks for a set of nodes before any world exists, for the modules above the
 * kernel that describe a deployment (the manifest): what each node's module declares, and what
 * boot would refuse (one service from two modules, a required service no node exports, a cycle),
 * decided by the same {@code DependencyGraph} and module declarations as boot, so the two cannot
 * disagree. (The runner will read the same plan to start units in dependency order.) Exported to {@code dev.parigot.sim.manifest} only.
 */
public final class BootPlan {
    /** The node name under which services provided from outside the plan (Java services) appear. */
    public static final String PROVIDED_NODE = "java";

    /** A service that {@code node} requires and no node of the plan exports. */
    public record Missing(String node, String service) {
    }

    private final DependencyGraph graph;

    private BootPlan(List<DependencyGraph.Declaration> declarations) {
        this.graph = new DependencyGraph(declarations);
    }

    /**
     * The plan of {@code nodes} (node name to module, in the order a world would add them), with
     * {@code provided} services exported from outside (Java services a test adds; node
     * {@value #PROVIDED_NODE}) and the kernel's storage service where boot would add it. Learning
     * a module's declarations starts a probe instance once per JVM and module.
     */
    public static BootPlan of(Map<String, GuestModule> nodes, Collection<String> provided) {
        List<DependencyGraph.Declaration> declarations = new ArrayList<>();
        nodes.forEach((name, module) -> {
            DependencyGraph.Declaration d = ModuleDeclarations.of(module);
            declarations.add(new DependencyGraph.Declaration(name, module.name(), d.moduleId(), d.exports(),
                    d.requires()));
        });
        if (!provided.isEmpty()) {
            declarations.add(new DependencyGraph.Declaration(PROVIDED_NODE, "Java services the caller provides",
                    List.copyOf(provided), List.of()));
        }
        if (ModuleDeclarations.storageRequired(declarations)) {
            declarations.add(ModuleDeclarations.storage());
        }
        return new BootPlan(declarations);
    }

    /** One service exported by nodes of different modules, as boot's sentence, if any. */
    public Optional<String> conflict() {
        return graph.conflict();
    }

    /** Every service a node requires and no node exports, in node order. */
    public List<Missing> missing() {
        List<Missing> out = new ArrayList<>();
        for (DependencyGraph.Missing m : graph.missing()) {
            out.add(new Missing(m.node(), m.service()));
        }
        return out;
    }

    /**
     * A dependency cycle as boot's path ("A (node 'a'), which requires B (node 'b'), which
     * requires A"), if any. Replicas that require the service they export are peers, not a cycle.
     */
    public Optional<String> cycle() {
        return graph.findCycle();
    }

    /** The services exported by some node of the plan, comma-separated, or "none". */
    public String exportedText() {
        return graph.exportedText();
    }
}
