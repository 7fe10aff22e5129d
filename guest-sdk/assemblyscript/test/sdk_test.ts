// A guest for test/run.mjs, which runs it under node against a scripted kernel: it drives the
// SDK's dispatch, tables and edge cases (deadlines, late results, cancel, log truncation,
// duplicate handlers) that the catalog example does not reach.
import * as pg from "../assembly/parigot";
export * from "../assembly/parigot/exports";

const T = "test.v1.T";
const DEP = "test.v1.Dep";

function echo(call: pg.Call, payload: Uint8Array): void {
  call.replyRaw(pg.Status.OK, payload);
}

// Calls Dep/M with the request and a 1000 ns deadline; answers with the result's status and bytes.
function callDep(call: pg.Call, payload: Uint8Array): void {
  const id = pg.callRaw<pg.Call>(DEP, "M", payload, depDone, call, 1000);
  if (id < 0) call.fail(<i32>-id, "call refused");
}

function depDone(call: pg.Call, status: i32, payload: Uint8Array): void {
  call.replyRaw(status, payload);
}

function logPayload(call: pg.Call, payload: Uint8Array): void {
  pg.info(String.UTF8.decode(payload.buffer));
  call.replyRaw(pg.Status.OK, new Uint8Array(0));
}

// Sets a timer of 5 ns and a second one it cancels; the first answers when it fires.
function timers(call: pg.Call, payload: Uint8Array): void {
  pg.timer<pg.Call>(5, fired, call);
  const other = pg.timer<pg.Call>(7, fired, call);
  const first = pg.timerCancel(other);
  const second = pg.timerCancel(other);
  pg.info("cancel " + first.toString() + " then " + second.toString());
}

function fired(call: pg.Call, timer: i64): void {
  const text = String.UTF8.encode("fired " + timer.toString() + " at " + pg.nowNs().toString());
  call.replyRaw(pg.Status.OK, Uint8Array.wrap(text));
}

function aids(call: pg.Call, payload: Uint8Array): void {
  const bytes = pg.randomBytes(4);
  pg.assertAlways(bytes[0] == 0xab, "random bytes come from the kernel");
  pg.assertSometimes(pg.buggify("site.a"), "buggify fired");
  pg.assertReachable("aids reached");
  if (payload.length == 1) pg.assertUnreachable("never here");
  call.fail(pg.Status.ABORTED, "");
  pg.exit(3);
}

function start(): i32 {
  let status = pg.exportService(T);
  if (status == pg.Status.OK) status = pg.requireService(DEP);
  if (status == pg.Status.OK) status = pg.handleRaw(T, "Echo", echo);
  if (status == pg.Status.OK) status = pg.handleRaw(T, "CallDep", callDep);
  if (status == pg.Status.OK) status = pg.handleRaw(T, "Log", logPayload);
  if (status == pg.Status.OK) status = pg.handleRaw(T, "Timers", timers);
  if (status == pg.Status.OK) status = pg.handleRaw(T, "Aids", aids);
  pg.info("second handler for Echo: " + pg.handleRaw(T, "Echo", echo).toString());
  return status;
}

pg.onStart(start);
