// Calls to the node's durable storage, parigot.storage.v1.Storage
// (sim-kernel/src/main/proto/parigot/storage/v1/storage.proto), with its messages generated
// by as-proto-gen into ./proto.
//
// Each node has its own disk. Write and Delete are buffered: a Read of the same node sees them
// at once, but they are durable only once a later Sync has answered OK; a crash loses, keeps
// or tears each write not yet synced, as the seed decides. So acknowledge nothing to your
// caller as durable before the Sync that follows it has answered OK.
//
// A service that uses these must requireService(STORAGE) in its start hook. Each function is a
// call to STORAGE: it returns the call id (> 0) or minus a status (-9 not required, -8 the
// call table full), and the callback runs once with the result. The calls stay on the node,
// so the network neither drops nor delays them; with storage faults on they may still fail
// (UNAVAILABLE) or a Read may return corrupted bytes.
import { Protobuf } from "as-proto/assembly";
import { NO_TIMEOUT, Pending, Status, startCall } from "./runtime";
import { DeleteRequest } from "./proto/parigot/storage/v1/DeleteRequest";
import { ReadReply } from "./proto/parigot/storage/v1/ReadReply";
import { ReadRequest } from "./proto/parigot/storage/v1/ReadRequest";
import { SyncRequest } from "./proto/parigot/storage/v1/SyncRequest";
import { WriteRequest } from "./proto/parigot/storage/v1/WriteRequest";

export const STORAGE = "parigot.storage.v1.Storage";

class StatusPending<Ctx> extends Pending {
  constructor(
    private cb: (ctx: Ctx, status: i32) => void,
    private ctx: Ctx,
  ) {
    super();
  }

  deliver(status: i32, payload: Uint8Array): void {
    const cb = this.cb;
    cb(this.ctx, status);
  }
}

class ReadPending<Ctx> extends Pending {
  constructor(
    private cb: (ctx: Ctx, status: i32, found: bool, value: Uint8Array) => void,
    private ctx: Ctx,
  ) {
    super();
  }

  deliver(status: i32, payload: Uint8Array): void {
    const cb = this.cb;
    if (status != Status.OK) {
      cb(this.ctx, status, false, new Uint8Array(0));
      return;
    }
    const reply = Protobuf.decode<ReadReply>(payload, ReadReply.decode);
    cb(this.ctx, status, reply.found, reply.value);
  }
}

/** Write{key, value}: buffers `value` under `key` (durable after a later Sync); cb(ctx, status). */
export function storageWrite<Ctx>(key: string, value: Uint8Array, cb: (ctx: Ctx, status: i32) => void, ctx: Ctx): i64 {
  const payload = Protobuf.encode<WriteRequest>(new WriteRequest(key, value), WriteRequest.encode);
  return startCall(STORAGE, "Write", payload, new StatusPending<Ctx>(cb, ctx), NO_TIMEOUT);
}

/**
 * Read{key}: cb(ctx, status, found, value) with this node's current value, unsynced writes and
 * deletes included (found false and an empty value when absent or when status is not OK).
 */
export function storageRead<Ctx>(
  key: string,
  cb: (ctx: Ctx, status: i32, found: bool, value: Uint8Array) => void,
  ctx: Ctx,
): i64 {
  const payload = Protobuf.encode<ReadRequest>(new ReadRequest(key), ReadRequest.encode);
  return startCall(STORAGE, "Read", payload, new ReadPending<Ctx>(cb, ctx), NO_TIMEOUT);
}

/** Sync{}: every earlier Write and Delete of this node is durable once cb gets OK. */
export function storageSync<Ctx>(cb: (ctx: Ctx, status: i32) => void, ctx: Ctx): i64 {
  const payload = Protobuf.encode<SyncRequest>(new SyncRequest(), SyncRequest.encode);
  return startCall(STORAGE, "Sync", payload, new StatusPending<Ctx>(cb, ctx), NO_TIMEOUT);
}

/** Delete{key}: buffers the removal of `key` (durable after a later Sync); cb(ctx, status). */
export function storageDelete<Ctx>(key: string, cb: (ctx: Ctx, status: i32) => void, ctx: Ctx): i64 {
  const payload = Protobuf.encode<DeleteRequest>(new DeleteRequest(key), DeleteRequest.encode);
  return startCall(STORAGE, "Delete", payload, new StatusPending<Ctx>(cb, ctx), NO_TIMEOUT);
}
