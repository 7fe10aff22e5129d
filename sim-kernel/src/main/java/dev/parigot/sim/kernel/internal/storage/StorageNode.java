package dev.parigot.sim.kernel.internal.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.DiskStore;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.internal.node.Event;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.NodeLifecycle;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.World;
import dev.parigot.sim.kernel.storage.v1.DeleteRequest;
import dev.parigot.sim.kernel.storage.v1.ReadReply;
import dev.parigot.sim.kernel.storage.v1.ReadRequest;
import dev.parigot.sim.kernel.storage.v1.WriteRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable storage the kernel provides ({@code parigot.storage.v1.Storage}): every node that
 * calls it has its own disk, which outlives the node's crashes. A node's requests reach its disk
 * in issue order (one FIFO queue that no network fault touches). Writes and deletes are durable
 * only after a Sync, which makes durable everything issued before it; at a crash each unsynced
 * one, applied or still in flight, is lost, torn (a prefix of the value is kept) or kept (still
 * unsynced), as the seed decides. With storage faults on, reads may fail or come back corrupted.
 * The rules are the table in docs/faults.md.
 *
 * <p>A world given a {@link DiskStore} (a deployed unit) loads each caller's durable keys from it
 * at boot and hands it every Sync before answering; the disks in memory stay the ones reads see.
 */
public final class StorageNode extends Node implements NodeLifecycle {
    public static final String SERVICE = "parigot.storage.v1.Storage";
    public static final String NAME = "storage";
    /** Local disk latency window. */
    public static final long LATENCY_MIN_NANOS = 5_000;
    public static final long LATENCY_MAX_NANOS = 50_000;

    private final FaultProfile profile;
    private final Map<Integer, Disk> disks = new HashMap<>();
    /** Where synced data goes beyond memory, or null (every simulated world). */
    private final DiskStore store;

    public StorageNode(World world, int index, FaultProfile profile) {
        super(world, index, NAME);
        this.profile = profile;
        this.store = world.config().disks().orElse(null);
        exports.add(SERVICE);
    }

    /** Whether the world keeps synced data in a {@link DiskStore} (a deployed unit), not only in memory. */
    public boolean persistent() {
        return store != null;
    }

    /**
     * Loads {@code owner}'s disk from the world's {@link DiskStore}, if it has one and the disk is
     * not loaded yet: done at boot for every node that requires storage, so that a disk that cannot
     * be read fails the boot with the store's reason.
     */
    public void load(Node owner) throws IOException {
        if (store != null && !disks.containsKey(owner.index)) {
            Disk disk = new Disk();
            disk.durable.putAll(store.load(owner.name));
            disks.put(owner.index, disk);
        }
    }

    @Override
    public String kindLabel() {
        return "storage";
    }

    @Override
    public String moduleName() {
        return "kernel:storage";
    }

    @Override
    public String moduleId() {
        return moduleName();
    }

    @Override
    public void start() {
    }

    @Override
    public int ready() {
        return 0;
    }

    /** {@code owner}'s disk, loaded from the store the first time if the world has one. */
    private Disk disk(Node owner) throws IOException {
        load(owner);
        return disks.computeIfAbsent(owner.index, i -> new Disk());
    }

    @Override
    public void deliverCall(long callId, Route route, byte[] payload) {
        Node.Inbound in = inbound.get(callId);
        Disk disk;
        try {
            disk = disk(in.caller());
        } catch (IOException e) {
            world.log(in.caller(), LogLine.Level.ERROR, "storage: the disk cannot be read: " + e.getMessage());
            world.reply(this, callId, Status.UNAVAILABLE.code(), World.EMPTY);
            return;
        }
        try {
            switch (route.method) {
                case "Write":
                case "Delete":
                    disk.unsynced.add(opOf(route.method, payload));
                    world.reply(this, callId, Status.OK.code(), World.EMPTY);
                    return;
                case "Sync":
                    if (store != null && !disk.unsynced.isEmpty()) {
                        List<DiskStore.Change> changes = new ArrayList<>(disk.unsynced.size());
                        for (Disk.Op op : disk.unsynced) {
                            changes.add(new DiskStore.Change(op.key(), op.value()));
                        }
                        try {
                            store.sync(in.caller().name, changes);
                        } catch (IOException e) {
                            world.log(in.caller(), LogLine.Level.ERROR, "storage: a Sync of " + changes.size()
                                    + " changes failed, none is durable: " + e.getMessage());
                            world.reply(this, callId, Status.UNAVAILABLE.code(), World.EMPTY);
                            return;
                        }
                    }
                    disk.sync();
                    world.reply(this, callId, Status.OK.code(), World.EMPTY);
                    return;
                case "Read": {
                    ReadRequest req = ReadRequest.parseFrom(payload);
                    if (!world.calm() && profile.storage().readError().happens(world.choices())) {
                        world.recordFault(InjectedFault.Kind.READ_ERROR, in.caller(), "read of '" + req.getKey()
                                + "' by " + in.caller().name + " failed");
                        world.reply(this, callId, Status.UNAVAILABLE.code(), World.EMPTY);
                        return;
                    }
                    byte[] value = disk.read(req.getKey());
                    ReadReply.Builder reply = ReadReply.newBuilder().setFound(value != null);
                    if (value != null) {
                        if (value.length > 0 && !world.calm() && profile.storage().corruption().happens(world.choices())) {
                            value = value.clone();
                            int at = world.choices().choose(value.length);
                            value[at] ^= (byte) (1 + world.choices().choose(255));
                            world.recordFault(InjectedFault.Kind.CORRUPTION, in.caller(), "read of '" + req.getKey()
                                    + "' by " + in.caller().name + " corrupted at byte " + at);
                        }
                        reply.setValue(ByteString.copyFrom(value));
                    }
                    world.reply(this, callId, Status.OK.code(), reply.build().toByteArray());
                    return;
                }
                default:
                    world.reply(this, callId, Status.UNIMPLEMENTED.code(), World.EMPTY);
            }
        } catch (InvalidProtocolBufferException e) {
            world.reply(this, callId, Status.INVALID_ARGUMENT.code(), World.EMPTY);
        }
    }

    /** Whether a call on {@code route} changes a disk (a Write or a Delete). */
    public static boolean isWrite(Route route) {
        return route.service.equals(SERVICE) && (route.method.equals("Write") || route.method.equals("Delete"));
    }

    /** The write or delete a Write or Delete request asks for, or null for any other method. */
    private static Disk.Op opOf(String method, byte[] payload) throws InvalidProtocolBufferException {
        switch (method) {
            case "Write": {
                WriteRequest req = WriteRequest.parseFrom(payload);
                return new Disk.Op(req.getKey(), req.getValue().toByteArray());
            }
            case "Delete":
                return new Disk.Op(DeleteRequest.parseFrom(payload).getKey(), null);
            default:
                return null;
        }
    }

    /** A crash of {@code owner}: what it had issued and not synced meets its fate. */
    @Override
    public void nodeCrashed(Node owner) {
        crashed(owner, world.storageRequestsInFlight(owner));
    }

    /**
     * What a crash of {@code owner} leaves on its disk. Every write and delete it issued and had
     * not synced, whether applied already or still on its way to the disk ({@code inFlight}, in
     * issue order), is lost, torn (a prefix of the value lands) or kept, as the seed decides.
     * What survives stays unsynced: the restarted node reads it, a later Sync makes it durable,
     * and the next crash decides its fate again (a process crash leaves the page cache, which
     * is not the disk). Requests in flight are discarded when they arrive.
     */
    private void crashed(Node owner, List<Event> inFlight) {
        Disk disk = disks.get(owner.index);
        if (disk == null && inFlight.isEmpty()) {
            return;
        }
        try {
            disk = disk(owner);
        } catch (IOException unreadable) {
            return; // only a deployed world has a store, and it refused this disk at its first use too
        }
        for (Event e : inFlight) {
            try {
                Disk.Op op = opOf(e.route.method, e.payload);
                if (op != null) {
                    disk.unsynced.add(op);
                }
            } catch (InvalidProtocolBufferException refused) {
                // the disk would have refused it (INVALID_ARGUMENT): nothing to lose
            }
        }
        List<Disk.Op> survivors = new ArrayList<>();
        for (Disk.Op op : disk.unsynced) {
            String what = (op.value() == null ? "delete of '" : "write of '") + op.key() + "' by " + owner.name;
            if (profile.storage().lostUnsynced().happens(world.choices())) {
                world.recordFault(InjectedFault.Kind.LOST_WRITE, owner, "unsynced " + what + " lost");
                continue;
            }
            if (op.value() != null && op.value().length > 0
                    && profile.storage().tornUnsynced().happens(world.choices())) {
                int kept = world.choices().choose(op.value().length);
                survivors.add(new Disk.Op(op.key(), Disk.prefix(op.value(), kept)));
                world.recordFault(InjectedFault.Kind.TORN_WRITE, owner, "unsynced " + what + " torn: " + kept
                        + " of " + op.value().length + " bytes kept");
                continue;
            }
            survivors.add(op);
        }
        disk.unsynced.clear();
        disk.unsynced.addAll(survivors);
    }

    @Override
    public void deliverResult(long callId, int status, byte[] payload) {
    }

    @Override
    public void deliverTimer(long timerId) {
    }
}
