package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.kernel.TraceStep;
import dev.parigot.sim.samples.DurabilitySamples.Variant;
import dev.parigot.sim.samples.rkv.v1.GetReply;
import dev.parigot.sim.samples.rkv.v1.GetRequest;
import dev.parigot.sim.samples.rkv.v1.PutReply;
import dev.parigot.sim.samples.rkv.v1.PutRequest;
import dev.parigot.sim.scheduler.Seed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The durability bugs of rkv: each shows under the crash that exposes it and is gone once
 * fixed; every variant replays deterministically under the built-in faults.
 */
class DurabilitySamplesTest {

    static SimConfig config(Seed seed, FaultProfile faults, boolean swarm) {
        return SimConfig.builder().seed(seed).echoLog(false).faults(faults).swarm(swarm).build();
    }

    // ---- the two bugs under crashes placed by hand ------------------------------------

    static SimFuture<PutReply> put(TestClient client, String key, long version) {
        return client.call(DurabilitySamples.STORE + "@" + DurabilitySamples.PRIMARY, "Put", PutRequest.newBuilder()
                .setKey(key).setVersion(version)
                .setValue(ByteString.copyFrom(DurabilitySamples.valueOf(key, version), StandardCharsets.UTF_8))
                .build(), PutReply.parser());
    }

    /** The version a Get of {@code key} from {@code node} returns (0: not found). */
    static long get(Sim sim, TestClient client, String node, String key) {
        GetReply reply = sim.await(client.call(DurabilitySamples.STORE + "@" + node, "Get",
                GetRequest.newBuilder().setKey(key).build(), GetReply.parser()));
        return reply.getFound() ? reply.getVersion() : 0;
    }

    /** Runs until {@code node}'s storage has just taken one of its Writes. */
    static void untilWriteOf(Sim sim, String node) {
        sim.runUntil(() -> {
            List<TraceStep> last = sim.trace().last(1);
            return !last.isEmpty() && last.get(0).kind() == StepKind.CALL && last.get(0).source().equals(node)
                    && last.get(0).method().equals("parigot.storage.v1.Storage/Write");
        });
    }

    static boolean lost(Sim sim, String what) {
        return sim.injectedFaults().stream().anyMatch(f -> f.kind() == InjectedFault.Kind.LOST_WRITE
                && f.detail().contains(what));
    }

    /**
     * Put(k, v1); the backup crashes once its storage has taken the Apply's Write and before the
     * Sync. Returns {Put's status code, the version a Get from the restarted backup returns, 1 if
     * the write was lost}.
     */
    static long[] backupCrashesBeforeItsSync(Variant variant, Seed seed) {
        Sim sim = Sim.create(config(seed, FaultProfile.NONE, false));
        DurabilitySamples.addStore(sim, variant);
        TestClient client = sim.client("client");
        SimFuture<PutReply> put = put(client, "k", 1);
        untilWriteOf(sim, DurabilitySamples.BACKUP);
        sim.crash(DurabilitySamples.BACKUP, Duration.ofMillis(5));
        sim.runFor(Duration.ofMillis(30));
        return new long[] {put.status().code(), get(sim, client, DurabilitySamples.BACKUP, "k"),
                lost(sim, "'log/0' by b") ? 1 : 0};
    }

    @Test
    void aBackupThatAnswersBeforeItsSyncLosesAnAcknowledgedWriteInACrash() {
        List<String> buggy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long[] r = backupCrashesBeforeItsSync(Variant.ACK_EARLY, Seed.FIRST.plus(i));
            assertThat(r[0]).as("the Put is acknowledged").isEqualTo(Status.OK.code());
            buggy.add(r[2] == 1 ? "lost: Get finds v" + r[1] : "kept: Get finds v" + r[1]);

            long[] f = backupCrashesBeforeItsSync(Variant.FIXED, Seed.FIRST.plus(i));
            assertThat(f[0]).as("fixed: the Put is not acknowledged").isEqualTo(Status.UNAVAILABLE.code());
        }
        assertThat(buggy).contains("lost: Get finds v0").doesNotContain("lost: Get finds v1")
                .contains("kept: Get finds v1");
    }

    /**
     * Put(k, v1) is acknowledged; Put(k, v2) reaches the primary's storage, and the primary
     * crashes before syncing it. After the restart a Get from the primary; then a second crash
     * (before the primary syncs anything) and a Get again. Returns both Gets' versions.
     */
    static long[] primaryCrashesTwice(Variant variant, Seed seed) {
        Sim sim = Sim.create(config(seed, FaultProfile.NONE, false));
        DurabilitySamples.addStore(sim, variant);
        TestClient client = sim.client("client");
        sim.await(put(client, "k", 1));
        put(client, "k", 2);
        untilWriteOf(sim, DurabilitySamples.PRIMARY);
        sim.crash(DurabilitySamples.PRIMARY, Duration.ofMillis(5));
        sim.runFor(Duration.ofMillis(10));
        long first = get(sim, client, DurabilitySamples.PRIMARY, "k");
        sim.crash(DurabilitySamples.PRIMARY, Duration.ofMillis(5));
        sim.runFor(Duration.ofMillis(10));
        return new long[] {first, get(sim, client, DurabilitySamples.PRIMARY, "k")};
    }

    @Test
    void aNodeThatServesWhatItReadBackUnsyncedLetsASecondCrashTakeBackAValueAClientSaw() {
        List<String> buggy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long[] r = primaryCrashesTwice(Variant.TRUST_UNSYNCED, Seed.FIRST.plus(i));
            buggy.add("v" + r[0] + " then v" + r[1]);
            long[] f = primaryCrashesTwice(Variant.FIXED, Seed.FIRST.plus(i));
            assertThat(f[1]).as("fixed, seed %d: a value once read stays", i).isEqualTo(f[0]);
        }
        assertThat(buggy).contains("v2 then v1");
    }

    // ---- the two bugs under the built-in faults alone ----------------------------------

    static Sim swarm(Variant variant, Seed seed) {
        return DeterminismCheck.runOnce(config(seed, FaultProfile.defaults(), true),
                sim -> DurabilitySamples.ackedWritesSurvive(sim, variant));
    }

    /**
     * Sweeps seeds from the first under swarm until {@code variant} fails (at most {@code
     * bound}); checks that the failure replays with the same trace hash and faults, and that the
     * fixed variant passes the same seeds and {@code fixedMore} more.
     */
    static SimFailure hunt(Variant variant, int bound, int fixedMore) {
        SimFailure first = null;
        int tried = 0;
        while (first == null && tried < bound) {
            Sim sim = swarm(variant, Seed.FIRST.plus(tried++));
            first = sim.failure().orElse(null);
        }
        assertThat(first).as("a seed among the first %d that exposes %s under swarm", bound, variant).isNotNull();
        SimFailure again = swarm(variant, first.seed()).failure().orElseThrow();
        assertThat(again.traceHash()).isEqualTo(first.traceHash());
        assertThat(again.faultContext()).isEqualTo(first.faultContext());
        for (int i = 0; i < tried + fixedMore; i++) {
            Seed seed = Seed.FIRST.plus(i);
            assertThat(swarm(Variant.FIXED, seed).failure()).as("the fixed variant under seed %s", seed).isEmpty();
        }
        return first;
    }

    @Test
    void swarmFindsTheWriteAcknowledgedBeforeItsSyncAnswered() {
        SimFailure failure = hunt(Variant.ACK_EARLY, 300, 100);
        assertThat(failure.reason()).containsAnyOf("was acknowledged, but a later Get", "a later one returned");
        assertThat(failure.faultContext()).anyMatch(line -> line.contains("CRASH"))
                .anyMatch(line -> line.contains("LOST_WRITE") || line.contains("TORN_WRITE"));
    }

    @Test
    void swarmFindsTheUnsyncedDataServedAfterARestart() {
        SimFailure failure = hunt(Variant.TRUST_UNSYNCED, 300, 100);
        assertThat(failure.reason()).containsAnyOf("was acknowledged, but a later Get", "a later one returned");
        assertThat(failure.faultContext().stream().filter(line -> line.contains("CRASH")).count())
                .as("two crashes at least").isGreaterThanOrEqualTo(2);
    }

    // ---- determinism ------------------------------------------------------------------

    @Test
    void everyVariantReplaysWithTheSameTraceUnderSwarm() {
        for (Variant variant : Variant.values()) {
            for (int i = 0; i < 2; i++) {
                DeterminismCheck.Result result = DeterminismCheck.check(
                        config(Seed.FIRST.plus(i), FaultProfile.defaults(), true),
                        sim -> DurabilitySamples.ackedWritesSurvive(sim, variant));
                assertThat(result.deterministic()).as(variant + ": " + result.describe()).isTrue();
            }
        }
    }
}
