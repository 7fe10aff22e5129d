package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.world.DependencyGraph;
import dev.parigot.sim.kernel.internal.world.ModuleDeclarations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of modules an application is made of. Given the services a test needs, it picks the
 * modules that export them and everything they transitively require, so a test loads only what
 * it uses. What a module exports and requires is a property of the module (parigot_start may
 * only declare), learned once per JVM by starting one probe instance.
 */
public final class ServiceCatalog {
    /**
     * The storage service ({@code parigot.storage.v1.Storage}): every world provides it itself to
     * the nodes that require it, so no module needs to export it.
     */
    public static final String STORAGE_SERVICE = dev.parigot.sim.kernel.internal.storage.StorageNode.SERVICE;

    private final List<GuestModule> modules;

    private ServiceCatalog(List<GuestModule> modules) {
        this.modules = List.copyOf(modules);
    }

    /** A catalog of these modules. */
    public static ServiceCatalog of(GuestModule... modules) {
        return new ServiceCatalog(List.of(modules));
    }

    /** A catalog of these modules (copied). */
    public static ServiceCatalog of(List<GuestModule> modules) {
        return new ServiceCatalog(modules);
    }

    /** The catalog's modules, in the order given. */
    public List<GuestModule> modules() {
        return modules;
    }

    /** What {@code module} declares in parigot_start (cached per module bytes). */
    static DependencyGraph.Declaration declarations(GuestModule module) {
        return ModuleDeclarations.of(module);
    }

    /**
     * The services {@code module} exports in {@code parigot_start}, learned once per module bytes
     * (the runner orders units by them before starting any).
     *
     * @param module a loaded module
     * @return its exported service names, in declaration order
     */
    public static List<String> exportsOf(GuestModule module) {
        return declarations(module).exports();
    }

    /**
     * The services {@code module} requires in {@code parigot_start}, learned once per module bytes.
     *
     * @param module a loaded module
     * @return its required service names, in declaration order
     */
    public static List<String> requiresOf(GuestModule module) {
        return declarations(module).requires();
    }

    /** The modules needed for {@code services}, in catalog order. */
    public List<GuestModule> select(String... services) {
        return select(Set.of(), services);
    }

    /**
     * The modules needed for {@code services}, in catalog order, when the services in
     * {@code provided} are served already (by Java services or nodes added before): neither those
     * nor what only they would require are looked up in the catalog.
     */
    public List<GuestModule> select(Set<String> provided, String... services) {
        Selection key = new Selection(modules, List.of(services), Set.copyOf(provided));
        List<GuestModule> chosen = SELECTED.get(key);
        if (chosen == null) {
            chosen = List.copyOf(choose(key.provided(), services));
            if (SELECTED.size() >= SELECTED_MAX) {
                SELECTED.clear();
            }
            SELECTED.put(key, chosen);
        }
        return chosen;
    }

    /**
     * Selections made in this JVM, by catalog modules (the same module objects) and services: a
     * test that builds its catalog for every seed selects once. At most {@link #SELECTED_MAX}.
     */
    private static final Map<Selection, List<GuestModule>> SELECTED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SELECTED_MAX = 1024;

    private record Selection(List<GuestModule> modules, List<String> services, Set<String> provided) {
    }

    private List<GuestModule> choose(Set<String> provided, String... services) {
        Map<String, GuestModule> exporter = new LinkedHashMap<>();
        for (GuestModule m : modules) {
            for (String s : declarations(m).exports()) {
                GuestModule other = exporter.putIfAbsent(s, m);
                if (other != null && !other.digest().equals(m.digest())) {
                    throw new ModuleException("service " + s + " is exported by both module '" + other.name()
                            + "' and module '" + m.name() + "' of the catalog; keep one of them");
                }
            }
        }
        Set<GuestModule> chosen = new LinkedHashSet<>();
        List<String> work = new ArrayList<>(List.of(services));
        Set<String> seen = new LinkedHashSet<>();
        while (!work.isEmpty()) {
            String service = work.remove(0);
            if (!seen.add(service) || provided.contains(service)) {
                continue;
            }
            GuestModule m = exporter.get(service);
            if (m == null) {
                throw new ModuleException("no module in the catalog exports " + service
                        + (seen.size() > 1 ? " (needed transitively)" : "") + "; the catalog exports "
                        + exporter.keySet() + (provided.isEmpty() ? "" : " and the world serves " + new java.util.TreeSet<>(provided))
                        + ". Add a node that serves it first (sim.add(name, javaService) for a fake), or a module"
                        + " exporting it to the catalog");
            }
            if (chosen.add(m)) {
                work.addAll(declarations(m).requires());
            }
        }
        List<GuestModule> ordered = new ArrayList<>();
        for (GuestModule m : modules) {
            if (chosen.contains(m)) {
                ordered.add(m);
            }
        }
        return ordered;
    }
}
