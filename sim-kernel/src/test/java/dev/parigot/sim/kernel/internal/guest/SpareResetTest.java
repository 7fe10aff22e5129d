package dev.parigot.sim.kernel.internal.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a spare instance's reset covers, checked from inside: whatever the last node left in the
 * instance's globals, element segments and table entries, the next node that takes it runs
 * exactly as one restored into a new instance. And a table that grows in one instance leaves the
 * tables of the module every world shares as declared.
 */
class SpareResetTest {
    private static final GuestModule ECHO = GuestModule.fromResource(SpareResetTest.class, "/guests/echo.wasm");
    /** A node memory limit no other test uses: spares are kept per limit. */
    private static final long LIMIT = (53L << 20) + 3 * 65536;

    /** One seed of an echo: the trace hash, after checking the reply; the world is closed. */
    private static long echo(Sim sim) {
        sim.add(ECHO);
        SimFuture<byte[]> reply = sim.client("client").call("test.v1.Echo", "Echo",
                "spare".getBytes(StandardCharsets.UTF_8));
        sim.run();
        assertThat(new String(reply.get(), StandardCharsets.UTF_8)).isEqualTo("spare");
        sim.close();
        return sim.trace().hash();
    }

    private static Sim world() {
        return Sim.create(SimConfig.builder().seed(7).echoLog(false).memoryBytesMax(LIMIT).build());
    }


    @Test
    void aSpareRunsAsANewInstanceWhateverItsLastNodeLeftInGlobalsElementsAndTables() {
        GuestCode code = GuestCode.of(ECHO);
        assertThat(code.hasSpares()).isTrue();
        echo(world()); // boots from scratch: takes the image
        Sim restored = world();
        long hash = echo(restored); // restored into a new instance, given back on close
        assertThat(restored.bootsRestored()).isEqualTo(1);
        assertThat(restored.bootsReusingInstances()).isZero();

        SpareInstance spare = code.takeSpare(LIMIT);
        assertThat(spare).isNotNull();
        Instance instance = spare.instance;
        com.dylibso.chicory.wasm.types.Element[] elements = new com.dylibso.chicory.wasm.types.Element[
                instance.elementCount()];
        for (int e = 0; e < elements.length; e++) {
            elements[e] = instance.element(e);
        }
        for (int g = 0; g < instance.globalCount(); g++) {
            instance.global(g).setValueLow(0x7ff0); // the shadow stack pointer among them
        }
        for (int e = 0; e < instance.elementCount(); e++) {
            instance.setElement(e, null);
        }
        TableInstance table = instance.table(0);
        for (int i = 0; i < table.size(); i++) {
            table.setRef(i, 0, instance); // every indirect call would reach function 0
        }
        code.keepSpare(spare);

        Sim reusing = world();
        assertThat(echo(reusing)).as("the same seed, the same trace").isEqualTo(hash);
        assertThat(reusing.bootsReusingInstances()).isEqualTo(1);
        for (int e = 0; e < elements.length; e++) {
            assertThat(instance.element(e)).as("element segment %d as the image has it", e).isSameAs(elements[e]);
        }
    }

    @Test
    void aTableThatGrowsInOneInstanceLeavesTheModulesTablesAsDeclared() {
        // Chicory's TableInstance.grow raises the minimum of the limits it was made with; the
        // kernel gives each instance limits of its own, so the module every world shares keeps
        // its declared size and the next instance starts there.
        com.dylibso.chicory.wasm.types.Table declared = new com.dylibso.chicory.wasm.types.Table(
                com.dylibso.chicory.wasm.types.ValType.FuncRef,
                new com.dylibso.chicory.wasm.types.TableLimits(2, 10));
        TableInstance first = GuestNode.ownTable(declared, -1);
        assertThat(first.grow(3, -1, null)).isEqualTo(2);
        assertThat(first.size()).isEqualTo(5);
        assertThat(declared.limits().min()).as("the module's table").isEqualTo(2);
        assertThat(GuestNode.ownTable(declared, -1).size()).as("the next instance's table").isEqualTo(2);
        assertThat(first.grow(6, -1, null)).as("the maximum still holds").isEqualTo(-1);
    }
}
