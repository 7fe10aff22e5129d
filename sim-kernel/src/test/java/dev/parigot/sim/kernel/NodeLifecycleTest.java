package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.NodeLifecycle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static org.assertj.core.api.Assertions.assertThat;

/** A part listening to node lifecycles hears each node added, then a crash and a restart once each, in order. */
class NodeLifecycleTest {

    @Test
    void aListenerHearsAddedCrashedAndRestartedOnceEachInOrder() {
        Sim sim = Sim.create(config(1, FaultProfile.NONE).build());
        List<String> heard = new ArrayList<>();
        sim.kernel().addLifecycle(new NodeLifecycle() {
            @Override
            public void nodeAdded(Node node) {
                heard.add("added " + node.name);
            }

            @Override
            public void nodeCrashed(Node node) {
                heard.add("crashed " + node.name + " " + node.state + " incarnation " + node.incarnation);
            }

            @Override
            public void nodeRestarted(Node node) {
                heard.add("restarted " + node.name + " " + node.state);
            }
        });
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        ProcessFaultsTest.count(sim, client);
        sim.crash("handmade");
        sim.crash("handmade"); // crashing a crashed node does nothing: no second event
        sim.restart("handmade");
        ProcessFaultsTest.count(sim, client);
        assertThat(heard.stream().filter(h -> !h.startsWith("added"))).containsExactly(
                "crashed handmade CRASHED incarnation 1", "restarted handmade READY");
        assertThat(heard.stream().filter(h -> h.startsWith("added"))).startsWith("added handmade", "added client")
                .contains("added storage").doesNotHaveDuplicates();
    }
}
