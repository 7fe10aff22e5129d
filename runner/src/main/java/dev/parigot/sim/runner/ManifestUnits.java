package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.ServiceCatalog;
import dev.parigot.sim.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The units of a deployment manifest as the launcher starts them: one {@link UnitSpec} per unit,
 * its nodes in the manifest's order, with the Java fakes the command line places in units.
 */
public final class ManifestUnits {
    private ManifestUnits() {
    }

    /**
     * Reads and checks {@code file} (every check of docs/deploy.md, before anything starts) and
     * returns its units.
     *
     * @param file the manifest
     * @param javaIn Java fakes as {@code UNIT:NODE=CLASS}, each a {@code Supplier<JavaService>}
     *     class on the class path; the services they export count as provided
     * @return one spec per unit, in the manifest's order
     * @throws IllegalArgumentException for a malformed {@code javaIn} entry, an unknown unit, or a
     *     service whose nodes (its replicas) are split over units, naming the manifest's line
     * @throws dev.parigot.sim.manifest.ManifestException for a manifest that does not pass its checks
     */
    public static List<UnitSpec> specs(Path file, List<String> javaIn) {
        Map<String, Map<String, String>> fakes = new LinkedHashMap<>();
        List<String> fakeServices = new ArrayList<>();
        for (String entry : javaIn) {
            int colon = entry.indexOf(':');
            int eq = entry.indexOf('=', colon + 1);
            if (colon <= 0 || eq <= colon + 1 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("--java-in " + entry + ": expected UNIT:NODE=CLASS");
            }
            String className = entry.substring(eq + 1);
            JavaService service = JavaServices.load(className);
            fakeServices.add(service.name());
            fakes.computeIfAbsent(entry.substring(0, colon), u -> new LinkedHashMap<>())
                    .put(entry.substring(colon + 1, eq), className);
        }
        Manifest manifest;
        try {
            manifest = Manifest.load(file, fakeServices);
        } catch (dev.parigot.sim.manifest.ManifestException e) {
            if (e.problems().stream().anyMatch(p -> p.contains("which no node of the manifest exports"))) {
                // The manifest's own hint is for a test; from the runner, a fake comes from the command line.
                throw new IllegalArgumentException(e.getMessage() + "\nFor a service outside the manifest (a fake of"
                        + " an outside system), place a Java class that provides it in a unit with --java-in"
                        + " UNIT:NODE=CLASS (a Supplier<JavaService> on the class path).", e);
            }
            throw e;
        }
        oneUnitPerService(manifest);
        List<UnitSpec> specs = new ArrayList<>();
        for (Manifest.Unit unit : manifest.units()) {
            List<UnitNode> nodes = new ArrayList<>();
            for (Manifest.Node node : manifest.nodes()) {
                if (node.unit().equals(unit.name())) {
                    nodes.add(new UnitNode(node.moduleFile().toAbsolutePath(), node.name(), node.environment(),
                            node.arguments()));
                }
            }
            specs.add(new UnitSpec(unit.name(), nodes, fakes.getOrDefault(unit.name(), Map.of())));
        }
        for (String unit : fakes.keySet()) {
            if (manifest.units().stream().noneMatch(u -> u.name().equals(unit))) {
                throw new IllegalArgumentException("--java-in names unit '" + unit + "', which " + file
                        + " does not have; its units are "
                        + manifest.units().stream().map(Manifest.Unit::name).toList());
            }
        }
        return specs;
    }

    /**
     * Refuses a service whose nodes (replicas, or nodes of one module) are in more than one unit:
     * the launcher sends every call of a service to one unit, so a replica in another process
     * could neither be called by name ({@code service@node}) nor share the service's calls.
     */
    private static void oneUnitPerService(Manifest manifest) {
        Map<String, Manifest.Node> firstExporter = new LinkedHashMap<>();
        for (Manifest.Node node : manifest.nodes()) {
            for (String service : ServiceCatalog.exportsOf(node.module())) {
                Manifest.Node first = firstExporter.putIfAbsent(service, node);
                if (first != null && !first.unit().equals(node.unit())) {
                    Manifest.Unit unit = manifest.units().stream().filter(u -> u.name().equals(node.unit()))
                            .findFirst().orElseThrow();
                    Manifest.Unit firstUnit = manifest.units().stream().filter(u -> u.name().equals(first.unit()))
                            .findFirst().orElseThrow();
                    throw new IllegalArgumentException(manifest.source() + ":" + unit.line() + ": unit '"
                            + unit.name() + "' has node '" + node.name() + "', which exports " + service
                            + " as node '" + first.name() + "' of unit '" + firstUnit.name() + "' (line "
                            + firstUnit.line() + ") does; the runner runs every node of a service in one unit (one"
                            + " process), so list them in one unit"
                            + (node.declaredAs().equals(first.declaredAs()) ? " (nodes: [" + node.declaredAs() + "])"
                                    : "") + " (see docs/deploy.md)");
                }
            }
        }
    }
}
