package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.Engine;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ServiceCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which units start: a unit starts after every unit that exports a service it
 * requires, so it can be told their addresses. What each module exports and requires is read
 * from its {@code parigot_start} (interpreted, once per module) before anything starts.
 */
final class UnitOrder {
    private UnitOrder() {
    }

    /**
     * A unit with what it serves and what it needs from other units.
     *
     * @param spec the unit
     * @param exports services its nodes export
     * @param requires services its nodes require that none of its own nodes export (and not the world's storage)
     */
    record Planned(UnitSpec spec, Set<String> exports, Set<String> requires) {
    }

    /** The units in a start order; an error that names the problem if there is none. */
    static List<Planned> plan(List<UnitSpec> units) {
        Map<String, Planned> byName = new LinkedHashMap<>();
        Map<String, String> exporter = new LinkedHashMap<>();
        for (UnitSpec unit : units) {
            Set<String> exports = new LinkedHashSet<>();
            Set<String> requires = new LinkedHashSet<>();
            for (UnitNode node : unit.nodes()) {
                GuestModule module = GuestModule.load(node.module(), Engine.INTERPRETED);
                exports.addAll(ServiceCatalog.exportsOf(module));
                requires.addAll(ServiceCatalog.requiresOf(module));
            }
            unit.javaServices().values().forEach(className -> exports.add(JavaServices.load(className).name()));
            requires.removeAll(exports);
            requires.remove(ServiceCatalog.STORAGE_SERVICE);
            if (byName.put(unit.name(), new Planned(unit, exports, requires)) != null) {
                throw new IllegalArgumentException("two units are named " + unit.name() + "; rename one");
            }
            for (String service : exports) {
                String other = exporter.putIfAbsent(service, unit.name());
                if (other != null) {
                    throw new IllegalArgumentException("service " + service + " is exported by both unit " + other
                            + " and unit " + unit.name() + "; put its nodes in one unit");
                }
            }
        }
        for (Planned p : byName.values()) {
            for (String service : p.requires()) {
                if (!exporter.containsKey(service)) {
                    throw new IllegalArgumentException("unit " + p.spec().name() + " requires " + service
                            + ", which no unit exports; add a unit whose module exports it");
                }
            }
        }
        List<Planned> order = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        while (order.size() < byName.size()) {
            boolean progress = false;
            for (Planned p : byName.values()) {
                if (!started.contains(p.spec().name()) && p.requires().stream()
                        .allMatch(s -> started.contains(exporter.get(s)))) {
                    order.add(p);
                    started.add(p.spec().name());
                    progress = true;
                }
            }
            if (!progress) {
                List<String> waiting = new ArrayList<>();
                for (Planned p : byName.values()) {
                    if (!started.contains(p.spec().name())) {
                        List<String> from = p.requires().stream().filter(s -> !started.contains(exporter.get(s)))
                                .map(s -> s + " from " + exporter.get(s)).toList();
                        waiting.add(p.spec().name() + " needs " + String.join(", ", from));
                    }
                }
                throw new IllegalArgumentException("the units depend on each other in a cycle, so none can start"
                        + " first: " + String.join("; ", waiting) + ". Put the services of a cycle in one unit");
            }
        }
        return order;
    }

    /** The addresses of what {@code unit} requires, from the targets of the units started before it. */
    static Map<String, String> remotesOf(Planned unit, List<Planned> all, Map<String, String> targetByUnit) {
        Map<String, String> remotes = new LinkedHashMap<>();
        for (String service : unit.requires()) {
            for (Planned p : all) {
                if (p.exports().contains(service)) {
                    remotes.put(service, targetByUnit.get(p.spec().name()));
                }
            }
        }
        return remotes;
    }
}
