// example.v1.Ping, built with the AssemblyScript SDK: answers n + 1 and the same text. The same
// service is written with the C and Rust SDKs (their examples/ping); the benchmark
// SdkCallOverhead compares what each SDK adds to one typed call.
import * as pg from "../../assembly/parigot";
import { PingReply } from "./assembly/generated/example/v1/PingReply";
import { PingRequest } from "./assembly/generated/example/v1/PingRequest";

export * from "../../assembly/parigot/exports";

const PING = "example.v1.Ping";

function ping(call: pg.Call, req: PingRequest): void {
  call.reply<PingReply>(new PingReply(req.n + 1, req.text), PingReply.encode);
}

function start(): i32 {
  let status = pg.exportService(PING);
  if (status == pg.Status.OK) status = pg.handle<PingRequest>(PING, "Ping", PingRequest.decode, ping);
  return status;
}

pg.onStart(start);
