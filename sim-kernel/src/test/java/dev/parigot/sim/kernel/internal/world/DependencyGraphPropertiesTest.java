package dev.parigot.sim.kernel.internal.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The boot graph over random applications: modules with replicas, requirements, peers that
 * require their own service, any declaration order. Ready order never runs ahead of a provider,
 * and every cycle is reported as a real path through the graph.
 */
class DependencyGraphPropertiesTest {

    /**
     * One application: module m exports "svc.m" and requires "svc.j" for each bit j &lt; m of
     * {@code requireMasks[m]} (so the requirements alone are acyclic), runs {@code replicas[m]}
     * nodes, and, if {@code peers[m]}, requires its own service too (replicas that talk to each
     * other). {@code cycle} lists modules that additionally require each other in a ring;
     * {@code shuffle} and {@code picks} seed the declaration order and the ready choices.
     */
    record App(List<Integer> replicas, List<Long> requireMasks, List<Boolean> peers, List<Integer> cycle,
            long shuffle, long picks) {

        int modules() {
            return replicas.size();
        }

        static String service(int module) {
            return "svc." + module;
        }

        List<String> requires(int module) {
            List<String> out = new ArrayList<>();
            for (int j = 0; j < module; j++) {
                if ((requireMasks.get(module) >>> j & 1) == 1) {
                    out.add(service(j));
                }
            }
            if (peers.get(module)) {
                out.add(service(module));
            }
            int at = cycle.indexOf(module);
            if (at >= 0) {
                String next = service(cycle.get((at + 1) % cycle.size()));
                if (!out.contains(next)) {
                    out.add(next);
                }
            }
            return out;
        }

        List<DependencyGraph.Declaration> declarations() {
            List<DependencyGraph.Declaration> out = new ArrayList<>();
            for (int m = 0; m < modules(); m++) {
                for (int r = 0; r < replicas.get(m); r++) {
                    out.add(new DependencyGraph.Declaration("m" + m + "r" + r, "mod" + m, "digest-of-mod" + m,
                            List.of(service(m)), requires(m)));
                }
            }
            Collections.shuffle(out, new Random(shuffle));
            return out;
        }
    }

    @Provide
    Arbitrary<App> acyclicApps() {
        return apps(1, 8, false);
    }

    @Provide
    Arbitrary<App> appsWithACycle() {
        return apps(2, 8, true);
    }

    private static Arbitrary<App> apps(int modulesMin, int modulesMax, boolean withCycle) {
        return Arbitraries.integers().between(modulesMin, modulesMax).flatMap(n -> {
            Arbitrary<List<Integer>> replicas = Arbitraries.integers().between(1, 3).list().ofSize(n);
            Arbitrary<List<Long>> masks = Arbitraries.longs().list().ofSize(n);
            Arbitrary<List<Boolean>> peers = Arbitraries.of(true, false, false, false).list().ofSize(n);
            Arbitrary<List<Integer>> cycle = withCycle
                    ? Arbitraries.integers().between(0, n - 1).list().uniqueElements().ofMinSize(2).ofMaxSize(n)
                    : Arbitraries.just(List.of());
            return Combinators.combine(replicas, masks, peers, cycle, Arbitraries.longs(), Arbitraries.longs())
                    .as(App::new);
        });
    }

    @Property(tries = 300)
    void readyOrderNeverMakesANodeReadyBeforeEveryProviderOfWhatItRequires(@ForAll("acyclicApps") App app) {
        List<DependencyGraph.Declaration> nodes = app.declarations();
        DependencyGraph graph = new DependencyGraph(nodes);
        Random picks = new Random(app.picks());

        assertThat(graph.problem()).isEmpty();
        List<Integer> order = graph.readyOrder(count -> {
            assertThat(count).as("a choice among several candidates").isGreaterThan(1);
            return picks.nextInt(count);
        });

        assertThat(order).as("every node exactly once").containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, nodes.size()).boxed().toList());
        for (int position = 0; position < order.size(); position++) {
            DependencyGraph.Declaration node = nodes.get(order.get(position));
            List<Integer> readyBefore = order.subList(0, position);
            for (String service : node.requires()) {
                if (node.exports().contains(service)) {
                    continue; // a peer: replicas of one service do not wait for each other
                }
                assertThat(graph.providers(service)).as("%s requires %s", node.node(), service).isNotEmpty()
                        .allSatisfy(p -> assertThat(readyBefore)
                                .as("%s (provider of %s) is ready before %s", nodes.get(p).node(), service,
                                        node.node())
                                .contains(p));
            }
        }
    }

    private static final Pattern HOP = Pattern.compile("(svc\\.\\d+) \\(node '([^']+)'\\)");

    @Property(tries = 300)
    void everyCycleIsReportedAsARealPathNamingItsServicesAndNodes(@ForAll("appsWithACycle") App app) {
        List<DependencyGraph.Declaration> nodes = app.declarations();
        DependencyGraph graph = new DependencyGraph(nodes);

        Optional<String> problem = graph.problem();

        assertThat(problem).as("a graph with the ring %s", app.cycle()).isPresent();
        String text = problem.get();
        assertThat(text).startsWith("dependency cycle: ").endsWith("cannot be made ready in any order");
        List<String> services = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        Matcher m = HOP.matcher(text);
        while (m.find()) {
            services.add(m.group(1));
            owners.add(m.group(2));
        }
        assertThat(services).as("services on the reported cycle of: %s", text).hasSizeGreaterThanOrEqualTo(2)
                .doesNotHaveDuplicates();
        assertThat(text).contains(", which requires " + services.get(0) + ";");
        for (int i = 0; i < services.size(); i++) {
            String owner = owners.get(i);
            String next = services.get((i + 1) % services.size());
            DependencyGraph.Declaration d = nodes.stream().filter(x -> x.node().equals(owner)).findFirst()
                    .orElseThrow();
            assertThat(d.exports()).as("%s exports %s", owner, services.get(i)).contains(services.get(i));
            assertThat(d.requires()).as("%s requires %s", owner, next).contains(next);
        }
    }

    @Example
    void replicasRequiringTheirOwnServiceAreNotACycle() {
        List<DependencyGraph.Declaration> peers = List.of(
                new DependencyGraph.Declaration("w1", "worker", List.of("lease.v1.Worker"), List.of("lease.v1.Worker")),
                new DependencyGraph.Declaration("w2", "worker", List.of("lease.v1.Worker"), List.of("lease.v1.Worker")));
        DependencyGraph graph = new DependencyGraph(peers);

        assertThat(graph.problem()).isEmpty();
        assertThat(graph.readyOrder(n -> 0)).containsExactly(0, 1);
    }

    @Example
    void missingServiceIsReportedBeforeACycle() {
        DependencyGraph graph = new DependencyGraph(List.of(
                new DependencyGraph.Declaration("a", "a", List.of("x.A"), List.of("x.B", "x.Gone")),
                new DependencyGraph.Declaration("b", "b", List.of("x.B"), List.of("x.A"))));

        assertThat(graph.problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("node 'a' requires x.Gone, which no node exports"));
    }
}
