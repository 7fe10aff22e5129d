package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.kernel.Engine;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.storage.StorageNode;
import dev.parigot.sim.scheduler.Seed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What nodes declare before a world runs them. A module's exports and requires are a property of
 * the module ({@code parigot_start} may only declare), learned once per JVM and module bytes by
 * starting one probe instance. And the one rule for the service the kernel itself provides: its
 * storage joins a world when a node requires it and no node of the test exports its own.
 */
public final class ModuleDeclarations {
    private static final Map<CodeKey, DependencyGraph.Declaration> CACHE = new ConcurrentHashMap<>();

    /** A module's code: its bytes' digest and its engine (a record key: no string built per lookup). */
    private record CodeKey(String digest, Engine engine) {
    }

    private ModuleDeclarations() {
    }

    /** What {@code module} declares in parigot_start, with the module's name as the node name. */
    public static DependencyGraph.Declaration of(GuestModule module) {
        return CACHE.computeIfAbsent(new CodeKey(module.digest(), module.engine()), k -> probe(module));
    }

    private static DependencyGraph.Declaration probe(GuestModule module) {
        Kernel scratch = new Kernel(SimConfig.builder().seed(Seed.of(0)).echoLog(false).build());
        GuestNode node = scratch.addGuest(module, NodeOptions.named(module.name()));
        try {
            scratch.supervised(node::start);
        } catch (GuestFault fault) {
            throw new ModuleException("module '" + module.name() + "' cannot be started to learn its declarations: "
                    + fault.getMessage(), fault);
        }
        return new DependencyGraph.Declaration(module.name(), module.name(), module.digest(),
                List.copyOf(node.exports), List.copyOf(node.requires));
    }

    /** Whether the kernel's storage service joins nodes that declared {@code declarations}. */
    public static boolean storageRequired(List<DependencyGraph.Declaration> declarations) {
        boolean required = false;
        for (DependencyGraph.Declaration d : declarations) {
            if (d.exports().contains(StorageNode.SERVICE)) {
                return false; // a test's own storage fake wins
            }
            required |= d.requires().contains(StorageNode.SERVICE);
        }
        return required;
    }

    /** The declaration of the kernel's storage service, as boot adds it. */
    public static DependencyGraph.Declaration storage() {
        return new DependencyGraph.Declaration(StorageNode.NAME, "kernel:storage", "kernel:storage",
                List.of(StorageNode.SERVICE), List.of());
    }
}
