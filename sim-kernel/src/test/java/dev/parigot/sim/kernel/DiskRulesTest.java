package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.faults;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Latency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Storage behaves like a disk (docs/faults.md, "Storage is a disk"), one test per rule of the
 * table: a node's requests form one FIFO queue no network fault touches; a Sync makes durable
 * every write issued before it; at a crash every unsynced write, applied or in flight, is lost,
 * torn or kept, and a kept one stays unsynced; nothing an old incarnation issued lands after its
 * crash; reads see the node's own earlier writes.
 */
class DiskRulesTest {
    static final GuestModule DISK = Guests.load("disk_user");
    static final String SERVICE = "test.v1.Disk";

    /** The harshest network there is, around the disk: it must not reach it. */
    static final FaultProfile HOSTILE_NETWORK = FaultProfile.builder().label("hostile")
            .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.2, 20_000_000))
                    .drop(0.05).duplicate(0.05).reorder(true)).storage(s -> s.lostUnsynced(1)).build();

    static SimFuture<byte[]> call(TestClient client, String method, String text) {
        return client.call(SERVICE, method, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code key} through the guest: its value, or null if not found. */
    static String read(Sim sim, TestClient client, String key) {
        SimFuture<byte[]> f = call(client, "Read", key);
        sim.runUntil(f::isDone);
        if (f.status() == Status.NOT_FOUND) {
            return null;
        }
        return new String(f.get(), StandardCharsets.UTF_8);
    }

    /** Runs until the disk node has just handled {@code method} (its storage requests are then in flight). */
    static void runUntilHandled(Sim sim, String method) {
        sim.runUntil(() -> {
            long n = sim.trace().steps();
            if (n == 0) {
                return false;
            }
            TraceStep last = sim.trace().step(n);
            return last.kind() == StepKind.CALL && last.target().equals("disk_user")
                    && last.method().endsWith("/" + method);
        });
    }

    @Test
    void aSyncIssuedRightAfterAWriteMakesItDurableWhateverTheNetworkDoes() {
        for (long seed = 1; seed <= 60; seed++) {
            String after = twice(config(seed, HOSTILE_NETWORK).build(), sim -> {
                sim.add(DISK);
                TestClient client = sim.client("client");
                SimFuture<byte[]> put;
                do { // the network may drop the client's call: try again until it is acknowledged
                    put = call(client, "WriteSync", "k=v");
                    SimFuture<byte[]> p = put;
                    sim.runFor(java.time.Duration.ofMillis(50));
                    if (p.isDone()) {
                        break;
                    }
                } while (true);
                assertThat(put.isOk()).isTrue();
                sim.crash("disk_user");
                sim.restart("disk_user");
                String value = null;
                for (int attempt = 0; attempt < 20 && value == null; attempt++) {
                    SimFuture<byte[]> f = call(client, "Read", "k");
                    sim.runFor(java.time.Duration.ofMillis(50));
                    value = f.isOk() ? new String(f.get(), StandardCharsets.UTF_8) : null;
                }
                return value;
            }).result();
            assertThat(after).as("seed %d: an acknowledged WriteSync after a crash that loses every unsynced write",
                    seed).isEqualTo("v");
        }
    }

    @Test
    void aNodesStorageRequestsReachItsDiskInIssueOrderNeverDroppedOrDuplicated() {
        for (long seed = 1; seed <= 20; seed++) {
            Sim sim = twice(config(seed, HOSTILE_NETWORK).build(), s -> {
                s.add(DISK);
                TestClient client = s.client("client");
                for (int i = 0; i < 10; i++) {
                    call(client, "WriteSyncNoWait", "k" + i + "=v" + i);
                }
                s.run();
                return null;
            }).sim();
            List<String> reached = new ArrayList<>();
            int handled = 0;
            for (TraceStep step : FaultWorlds.steps(sim)) {
                if (step.kind() == StepKind.CALL && step.target().equals("storage")) {
                    reached.add(step.method().substring(step.method().lastIndexOf('/') + 1));
                }
                if (step.kind() == StepKind.CALL && step.target().equals("disk_user")) {
                    handled++;
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < handled; i++) {
                expected.add("Write");
                expected.add("Sync");
            }
            assertThat(reached).as("seed %d: storage requests in the order issued, each once", seed)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aWriteInFlightAtACrashIsDecidedByTheCrashAndNeverLandsAfterIt() {
        Sim sim = twice(config(5, FaultProfile.builder().storage(s -> s.lostUnsynced(1)).build()).build(), s -> {
            s.add(DISK);
            TestClient client = s.client("client");
            call(client, "WriteNoWait", "k=v");
            runUntilHandled(s, "WriteNoWait");
            s.crash("disk_user"); // the Write is on its way to the disk
            s.restart("disk_user");
            assertThat(read(s, client, "k")).as("the in-flight write was lost at the crash").isNull();
            s.run();
            assertThat(read(s, client, "k")).as("and did not land later either").isNull();
            return null;
        }).sim();
        assertThat(faults(sim, InjectedFault.Kind.LOST_WRITE)).extracting(InjectedFault::detail)
                .containsExactly("unsynced write of 'k' by disk_user lost");
        assertThat(FaultWorlds.steps(sim)).filteredOn(t -> t.target().equals("storage") && t.source()
                .equals("disk_user")).first().extracting(TraceStep::kind).isEqualTo(StepKind.DISCARD);
    }

    @Test
    void aWriteKeptAtACrashStaysUnsyncedUntilASyncAndTheNextCrashMayLoseIt() {
        // First crash keeps every unsynced write (lost 0), the second loses every one (lost 1):
        // the profile cannot change mid-run, so two worlds share the first half of the story.
        FaultProfile keep = FaultProfile.builder().storage(s -> s.lostUnsynced(0)).build();
        String keptThenLost = twice(config(6, keep).build(), s -> {
            s.add(DISK);
            TestClient client = s.client("client");
            call(client, "WriteNoWait", "k=v");
            runUntilHandled(s, "WriteNoWait");
            s.crash("disk_user");
            s.restart("disk_user");
            String seen = read(s, client, "k");
            assertThat(seen).as("a kept write is visible to the restarted node").isEqualTo("v");
            return seen;
        }).result();
        assertThat(keptThenLost).isEqualTo("v");
        FaultProfile keepThenLose = FaultProfile.builder().storage(s -> s.lostUnsynced(0.5)).build();
        int lostLater = 0;
        int syncedSurvived = 0;
        for (long seed = 1; seed <= 40; seed++) {
            List<String> outcome = twice(config(seed, keepThenLose).build(), s -> {
                s.add(DISK);
                TestClient client = s.client("client");
                call(client, "WriteNoWait", "k=v");
                runUntilHandled(s, "WriteNoWait");
                s.crash("disk_user");
                s.restart("disk_user");
                String first = read(s, client, "k");
                s.crash("disk_user");
                s.restart("disk_user");
                String second = read(s, client, "k");
                return java.util.Arrays.asList(first, second);
            }).result();
            if ("v".equals(outcome.get(0)) && outcome.get(1) == null) {
                lostLater++; // seen after the first crash, still unsynced, lost at the second
            }
            List<String> synced = twice(config(seed, keepThenLose).build(), s -> {
                s.add(DISK);
                TestClient client = s.client("client");
                call(client, "WriteNoWait", "k=v");
                runUntilHandled(s, "WriteNoWait");
                s.crash("disk_user");
                s.restart("disk_user");
                String first = read(s, client, "k");
                s.await(call(client, "Sync", "")); // the restarted node syncs what it found
                s.crash("disk_user");
                s.restart("disk_user");
                return java.util.Arrays.asList(first, read(s, client, "k"));
            }).result();
            if ("v".equals(synced.get(0))) {
                assertThat(synced.get(1)).as("seed %d: synced after the restart, so durable", seed).isEqualTo("v");
                syncedSurvived++;
            }
        }
        assertThat(lostLater).as("seeds where a write seen after one crash was lost at the next").isGreaterThan(3);
        assertThat(syncedSurvived).isGreaterThan(3);
    }

    @Test
    void readsSeeTheNodesOwnEarlierWritesEvenOnAReorderingNetwork() {
        for (long seed = 1; seed <= 30; seed++) {
            String seen = twice(config(seed, FaultProfile.builder()
                    .network(n -> n.reorder(true)).build()).build(), s -> {
                s.add(DISK);
                TestClient client = s.client("client");
                s.await(call(client, "WriteNoWait", "k=v1"));
                return read(s, client, "k");
            }).result();
            assertThat(seen).as("seed %d", seed).isEqualTo("v1");
        }
    }

    @Test
    void aReplySentBeforeItsSyncAnsweredCanBeLostByACrashRightAfter() {
        FaultProfile lose = FaultProfile.builder().storage(s -> s.lostUnsynced(1)).build();
        String after = twice(config(8, lose).build(), s -> {
            s.add(DISK);
            TestClient client = s.client("client");
            SimFuture<byte[]> put = call(client, "WriteSyncNoWait", "k=v");
            runUntilHandled(s, "WriteSyncNoWait");
            s.crash("disk_user"); // the reply is on the wire; the Write and the Sync are not on disk yet
            s.restart("disk_user");
            s.runUntil(put::isDone);
            assertThat(put.isOk()).as("the client was told OK").isTrue();
            return read(s, client, "k");
        }).result();
        assertThat(after).as("yet the write is gone").isNull();
    }
}
