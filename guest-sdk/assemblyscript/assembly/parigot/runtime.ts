// The SDK's state and implementation. Services import the public surface from "./index";
// "./exports" holds the ABI exports, which call the dispatch* functions at the end of this file.
import { Protobuf, Reader, Writer } from "as-proto/assembly";
import * as abi from "./abi";

/** gRPC canonical status codes, as ABI v1 uses them. */
export enum Status {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** Levels of the `log` import. */
export enum Level {
  TRACE = 0,
  DEBUG = 1,
  INFO = 2,
  WARN = 3,
  ERROR = 4,
}

/** Bounds of the SDK's tables; exceeding one is reported as -8 (RESOURCE_EXHAUSTED). */
export const CALLS_PENDING_MAX: i32 = 1024; // outgoing calls awaiting a result callback
export const TIMERS_PENDING_MAX: i32 = 1024; // timers set with timer() or a call's timeout
export const HANDLERS_MAX: i32 = 128; // (service, method) pairs registered with handle()
export const LOG_BYTES_MAX: i32 = 1024; // log text longer than this (UTF-8) is truncated

/** The `timeoutNs` of a call without a deadline. */
export const NO_TIMEOUT: i64 = -1;

// ---- strings and buffers --------------------------------------------------------------

// The last bytes handed to an import, kept reachable until the next one, so that no garbage
// collection step can free them while the host reads them (the host copies before returning).
let outgoingText: ArrayBuffer = new ArrayBuffer(0);
let outgoingPayload: Uint8Array = new Uint8Array(0);

function utf8(text: string): ArrayBuffer {
  outgoingText = String.UTF8.encode(text);
  return outgoingText;
}

function keep(payload: Uint8Array): Uint8Array {
  outgoingPayload = payload;
  return payload;
}

/** Copies `len` bytes at `ptr` (an event's block) into a new managed array. */
function copyOut(ptr: usize, len: i32): Uint8Array {
  const bytes = new Uint8Array(len);
  if (len > 0) memory.copy(bytes.dataStart, ptr, <usize>len);
  return bytes;
}

/** A message's protobuf bytes, written by its generated `encode` (e.g. `Item.encode`). */
export function encode<T>(message: T, encoder: (message: T, writer: Writer) => void): Uint8Array {
  return Protobuf.encode<T>(message, encoder);
}

/** A message read from protobuf bytes by its generated `decode` (e.g. `Item.decode`). */
export function decode<T>(bytes: Uint8Array, decoder: (reader: Reader, length: i32) => T): T {
  return Protobuf.decode<T>(bytes, decoder);
}

// ---- boot -------------------------------------------------------------------------------

let startHook: (() => i32) | null = null;
let readyHook: (() => i32) | null = null;

/**
 * Registers the service's start hook: it runs once at boot (parigot_start) and may use only
 * exportService, requireService, handle, handleRaw and log. Non-zero fails boot. Call this at
 * the top level of the entry file (top-level code runs in _initialize).
 */
export function onStart(hook: () => i32): void {
  startHook = hook;
}

/** Registers the hook that runs once every required service is ready (parigot_ready). Optional. */
export function onReady(hook: () => i32): void {
  readyHook = hook;
}

/** This node serves `service` (a fully qualified protobuf service name). Returns a Status. */
export function exportService(service: string): i32 {
  const name = utf8(service);
  return abi.export_service(changetype<usize>(name), name.byteLength);
}

/** This node calls `service`; boot orders readiness by these. Returns a Status. */
export function requireService(service: string): i32 {
  const name = utf8(service);
  return abi.require_service(changetype<usize>(name), name.byteLength);
}

// ---- incoming calls -----------------------------------------------------------------------

/** An incoming call: answer it once, now or from a later callback (keep the object or its id). */
export class Call {
  constructor(public readonly id: i64, public readonly service: string, public readonly method: string) {}

  /** Answers OK with `message`, encoded with its generated `encode`. Returns a Status. */
  reply<Res>(message: Res, encode: (message: Res, writer: Writer) => void): i32 {
    return reply<Res>(this.id, message, encode);
  }

  /** Answers with a status and raw payload bytes. Returns a Status. */
  replyRaw(status: i32, payload: Uint8Array): i32 {
    return replyRaw(this.id, status, payload);
  }

  /** Answers a non-OK status without payload and logs `detail` at WARN. Returns a Status. */
  fail(status: i32, detail: string = ""): i32 {
    return replyStatus(this.id, status, detail);
  }
}

abstract class Handler {
  abstract invoke(call: Call, payload: Uint8Array): void;
}

class TypedHandler<Req> extends Handler {
  constructor(
    private decode: (reader: Reader, length: i32) => Req,
    private fn: (call: Call, request: Req) => void,
  ) {
    super();
  }

  invoke(call: Call, payload: Uint8Array): void {
    const request = Protobuf.decode<Req>(payload, this.decode);
    const fn = this.fn;
    fn(call, request);
  }
}

class RawHandler extends Handler {
  constructor(private fn: (call: Call, payload: Uint8Array) => void) {
    super();
  }

  invoke(call: Call, payload: Uint8Array): void {
    const fn = this.fn;
    fn(call, payload);
  }
}

const handlers = new Map<string, Handler>();

function addHandler(service: string, method: string, handler: Handler): i32 {
  const key = service + "/" + method; // a service name never contains '/'
  if (handlers.has(key)) return Status.ALREADY_EXISTS;
  if (handlers.size >= HANDLERS_MAX) return Status.RESOURCE_EXHAUSTED;
  handlers.set(key, handler);
  return Status.OK;
}

/**
 * Routes incoming calls of service/method to `fn` with the request decoded by the generated
 * `decode` (e.g. `HelloRequest.decode`). Returns OK, ALREADY_EXISTS for a pair registered
 * twice, RESOURCE_EXHAUSTED past HANDLERS_MAX. Calls with no handler are answered
 * UNIMPLEMENTED by the SDK.
 */
export function handle<Req>(
  service: string,
  method: string,
  decode: (reader: Reader, length: i32) => Req,
  fn: (call: Call, request: Req) => void,
): i32 {
  return addHandler(service, method, new TypedHandler<Req>(decode, fn));
}

/** Like handle, with the request's bytes as they came. */
export function handleRaw(service: string, method: string, fn: (call: Call, payload: Uint8Array) => void): i32 {
  return addHandler(service, method, new RawHandler(fn));
}

/** Answers call `call` OK with `message`. Returns a Status: 5 unknown id, 9 already answered. */
export function reply<Res>(call: i64, message: Res, encode: (message: Res, writer: Writer) => void): i32 {
  return replyRaw(call, Status.OK, Protobuf.encode<Res>(message, encode));
}

/** Answers call `call` with a status and raw payload (copied by the kernel). Returns a Status. */
export function replyRaw(call: i64, status: i32, payload: Uint8Array): i32 {
  const bytes = keep(payload);
  return abi.reply(call, status, bytes.dataStart, bytes.byteLength);
}

/**
 * Answers call `call` with a status and no payload (the ABI's convention for failures); a
 * non-empty `detail` is logged at WARN first, so it reaches the world log and failure reports.
 */
export function replyStatus(call: i64, status: i32, detail: string = ""): i32 {
  if (detail.length > 0) {
    log(Level.WARN, "reply " + status.toString() + " to call " + call.toString() + ": " + detail);
  }
  return abi.reply(call, status, 0, 0);
}

// ---- outgoing calls -------------------------------------------------------------------------

/** What waits for a call's result. Subclassed by the typed and raw calls and by storage. */
export abstract class Pending {
  timer: i64 = 0; // the deadline timer, 0 if none
  abstract deliver(status: i32, payload: Uint8Array): void;
}

class TypedPending<Res, Ctx> extends Pending {
  constructor(
    private decode: (reader: Reader, length: i32) => Res,
    private cb: (ctx: Ctx, status: i32, reply: Res | null) => void,
    private ctx: Ctx,
  ) {
    super();
  }

  deliver(status: i32, payload: Uint8Array): void {
    const cb = this.cb;
    if (status == Status.OK) {
      cb(this.ctx, status, Protobuf.decode<Res>(payload, this.decode));
    } else {
      cb(this.ctx, status, null);
    }
  }
}

class RawPending<Ctx> extends Pending {
  constructor(
    private cb: (ctx: Ctx, status: i32, payload: Uint8Array) => void,
    private ctx: Ctx,
  ) {
    super();
  }

  deliver(status: i32, payload: Uint8Array): void {
    const cb = this.cb;
    cb(this.ctx, status, payload);
  }
}

const calls = new Map<i64, Pending>();

/**
 * Sends the call and records `pending` (null: the result is dropped). With timeoutNs >= 0 a
 * timer races the result: if it wins, pending gets DEADLINE_EXCEEDED and a late result is
 * dropped. Returns the call id, or minus a status.
 */
export function startCall(
  service: string,
  method: string,
  payload: Uint8Array,
  pending: Pending | null,
  timeoutNs: i64,
): i64 {
  if (timeoutNs < NO_TIMEOUT) return -Status.INVALID_ARGUMENT;
  if (pending !== null) {
    if (calls.size >= CALLS_PENDING_MAX) return -Status.RESOURCE_EXHAUSTED;
    if (timeoutNs >= 0 && timers.size >= TIMERS_PENDING_MAX) return -Status.RESOURCE_EXHAUSTED;
  }
  const svc = String.UTF8.encode(service);
  const meth = String.UTF8.encode(method);
  const bytes = keep(payload);
  const id = abi.call(
    changetype<usize>(svc), svc.byteLength, changetype<usize>(meth), meth.byteLength,
    bytes.dataStart, bytes.byteLength,
  );
  if (id <= 0 || pending === null) return id;
  if (timeoutNs >= 0) {
    const timer = abi.timer_set(timeoutNs);
    if (timer > 0) {
      pending.timer = timer;
      timers.set(timer, new DeadlineTimer(id));
    }
  }
  calls.set(id, pending);
  return id;
}

/**
 * Calls service/method with `request` (encoded with the generated `encode`); `cb(ctx, status,
 * reply)` runs once with the result, `reply` decoded with `decode` when the status is OK and
 * null otherwise. With timeoutNs >= 0, cb gets DEADLINE_EXCEEDED if no result arrives within
 * that much virtual time. Returns the call id (> 0) or minus a status: -9 service not
 * required, -8 a table full, -3 a negative timeout other than NO_TIMEOUT.
 */
export function call<Req, Res, Ctx>(
  service: string,
  method: string,
  request: Req,
  encode: (message: Req, writer: Writer) => void,
  decode: (reader: Reader, length: i32) => Res,
  cb: (ctx: Ctx, status: i32, reply: Res | null) => void,
  ctx: Ctx,
  timeoutNs: i64 = NO_TIMEOUT,
): i64 {
  const payload = Protobuf.encode<Req>(request, encode);
  return startCall(service, method, payload, new TypedPending<Res, Ctx>(decode, cb, ctx), timeoutNs);
}

/** Like call, with raw bytes both ways; cb gets the result's payload as it came. */
export function callRaw<Ctx>(
  service: string,
  method: string,
  payload: Uint8Array,
  cb: (ctx: Ctx, status: i32, payload: Uint8Array) => void,
  ctx: Ctx,
  timeoutNs: i64 = NO_TIMEOUT,
): i64 {
  return startCall(service, method, payload, new RawPending<Ctx>(cb, ctx), timeoutNs);
}

/** Sends a call whose result nobody waits for (it is dropped). Returns the id or minus a status. */
export function send<Req>(service: string, method: string, request: Req, encode: (message: Req, writer: Writer) => void): i64 {
  return startCall(service, method, Protobuf.encode<Req>(request, encode), null, NO_TIMEOUT);
}

// ---- timers -------------------------------------------------------------------------------

abstract class TimerEntry {
  abstract fire(timer: i64): void;
}

class CallbackTimer<Ctx> extends TimerEntry {
  constructor(
    private cb: (ctx: Ctx, timer: i64) => void,
    private ctx: Ctx,
  ) {
    super();
  }

  fire(timer: i64): void {
    const cb = this.cb;
    cb(this.ctx, timer);
  }
}

class DeadlineTimer extends TimerEntry {
  constructor(private call: i64) {
    super();
  }

  fire(timer: i64): void {
    if (!calls.has(this.call)) return;
    const pending = calls.get(this.call);
    calls.delete(this.call);
    pending.deliver(Status.DEADLINE_EXCEEDED, new Uint8Array(0));
  }
}

const timers = new Map<i64, TimerEntry>();

/**
 * Runs cb(ctx, id) after delayNs of virtual time. Returns the timer id (> 0), -3 for a negative
 * delay, -8 if TIMERS_PENDING_MAX timers are pending.
 */
export function timer<Ctx>(delayNs: i64, cb: (ctx: Ctx, timer: i64) => void, ctx: Ctx): i64 {
  if (timers.size >= TIMERS_PENDING_MAX) return -Status.RESOURCE_EXHAUSTED;
  const id = abi.timer_set(delayNs);
  if (id > 0) timers.set(id, new CallbackTimer<Ctx>(cb, ctx));
  return id;
}

/** Cancels a pending timer. Returns OK, or NOT_FOUND if unknown or already fired. */
export function timerCancel(timer: i64): i32 {
  if (!timers.has(timer)) return Status.NOT_FOUND;
  timers.delete(timer);
  return abi.timer_cancel(timer);
}

// ---- time, randomness, log, lifecycle, testing aids ------------------------------------------

/** Virtual time in nanoseconds since the world began. */
export function nowNs(): i64 {
  return abi.now_ns();
}

/** Fills `buffer` with bytes of the world's seeded stream. */
export function randomFill(buffer: Uint8Array): void {
  abi.random_bytes(buffer.dataStart, buffer.byteLength);
}

/** `length` bytes of the world's seeded stream. */
export function randomBytes(length: i32): Uint8Array {
  const bytes = new Uint8Array(length);
  randomFill(bytes);
  return bytes;
}

/** A line in the world's unified log (truncated to LOG_BYTES_MAX bytes of UTF-8). */
export function log(level: i32, text: string): void {
  const bytes = utf8(text);
  let len = bytes.byteLength;
  if (len > LOG_BYTES_MAX) {
    len = LOG_BYTES_MAX;
    // Never cut a character in two: back up over UTF-8 continuation bytes.
    while (len > 0 && (load<u8>(changetype<usize>(bytes) + <usize>len) & 0xc0) == 0x80) len--;
  }
  abi.log(level, changetype<usize>(bytes), len);
}

export function trace(text: string): void {
  log(Level.TRACE, text);
}

export function debug(text: string): void {
  log(Level.DEBUG, text);
}

export function info(text: string): void {
  log(Level.INFO, text);
}

export function warn(text: string): void {
  log(Level.WARN, text);
}

export function error(text: string): void {
  log(Level.ERROR, text);
}

/**
 * Stops this node once the current handler returns (exit itself returns: finish promptly).
 * A non-zero code fails the world unless the test expects it.
 */
export function exit(code: i32): void {
  abi.exit(code);
}

/** true = take the rare path at this site now (FoundationDB's BUGGIFY); always false outside simulation. */
export function buggify(site: string): bool {
  const name = utf8(site);
  return abi.buggify(changetype<usize>(name), name.byteLength) == 1;
}

function assertion(kind: i32, cond: bool, message: string): void {
  const text = utf8(message);
  abi.assert(kind, cond ? 1 : 0, changetype<usize>(text), text.byteLength);
}

/** `cond` must hold every time; false fails the world (ASSERTION) with `message`. */
export function assertAlways(cond: bool, message: string): void {
  assertion(0, cond, message);
}

/** `cond` must hold at least once over a test's seeds. */
export function assertSometimes(cond: bool, message: string): void {
  assertion(1, cond, message);
}

/** This point must be reached at least once over a test's seeds. */
export function assertReachable(message: string): void {
  assertion(2, true, message);
}

/** This point must never be reached; reaching it fails the world (ASSERTION). */
export function assertUnreachable(message: string): void {
  assertion(3, false, message);
}

// ---- dispatch, called by the ABI exports ------------------------------------------------------

export function dispatchStart(): i32 {
  const hook = startHook;
  if (hook === null) {
    error("no start hook: call onStart(fn) at the top level of the service's entry file");
    return Status.FAILED_PRECONDITION;
  }
  return hook();
}

export function dispatchReady(): i32 {
  const hook = readyHook;
  return hook === null ? Status.OK : hook();
}

export function dispatchCall(id: i64, block: usize, svcLen: i32, methodLen: i32, payloadLen: i32): void {
  const service = String.UTF8.decodeUnsafe(block, <usize>svcLen);
  const method = String.UTF8.decodeUnsafe(block + <usize>svcLen, <usize>methodLen);
  const payload = copyOut(block + <usize>svcLen + <usize>methodLen, payloadLen);
  heap.free(block);
  const key = service + "/" + method;
  if (!handlers.has(key)) {
    replyStatus(id, Status.UNIMPLEMENTED, service + " has no method \"" + method + "\"");
    return;
  }
  handlers.get(key).invoke(new Call(id, service, method), payload);
}

export function dispatchResult(id: i64, status: i32, block: usize, len: i32): void {
  const payload = copyOut(block, len);
  if (block != 0) heap.free(block);
  if (!calls.has(id)) return; // dropped: fire-and-forget, past its deadline, or a raw call
  const pending = calls.get(id);
  calls.delete(id);
  if (pending.timer != 0 && timers.has(pending.timer)) {
    timers.delete(pending.timer);
    abi.timer_cancel(pending.timer);
  }
  pending.deliver(status, payload);
}

export function dispatchTimer(id: i64): void {
  if (!timers.has(id)) return; // cancelled, or set with the raw import
  const entry = timers.get(id);
  timers.delete(id);
  entry.fire(id);
}
