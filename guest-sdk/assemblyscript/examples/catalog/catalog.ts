// example.v1.Catalog (proto/example/v1/catalog.proto): items kept in the node's storage, quotes
// priced with a tax from example.v1.Pricing, an audit timer after each Put, a BUGGIFY site and
// an assertion. The message classes in ./assembly/generated come from as-proto-gen.
import * as pg from "../../assembly/parigot";
import { GetReply } from "./assembly/generated/example/v1/GetReply";
import { GetRequest } from "./assembly/generated/example/v1/GetRequest";
import { Item } from "./assembly/generated/example/v1/Item";
import { PutReply } from "./assembly/generated/example/v1/PutReply";
import { PutRequest } from "./assembly/generated/example/v1/PutRequest";
import { QuoteReply } from "./assembly/generated/example/v1/QuoteReply";
import { QuoteRequest } from "./assembly/generated/example/v1/QuoteRequest";
import { TaxReply } from "./assembly/generated/example/v1/TaxReply";
import { TaxRequest } from "./assembly/generated/example/v1/TaxRequest";

// The ABI exports (parigot_start, parigot_on_call, parigot_alloc, ...) come from the SDK.
export * from "../../assembly/parigot/exports";

const CATALOG = "example.v1.Catalog";
const PRICING = "example.v1.Pricing";
const TAX_TIMEOUT_NS: i64 = 50_000_000; // 50 ms of virtual time
const AUDIT_DELAY_NS: i64 = 1_000_000_000; // the audit runs 1 s after the last Put
const SLOW_GET_NS: i64 = 20_000_000; // a BUGGIFY'd Get answers 20 ms late

let puts: i64 = 0; // Puts stored since this node (re)started
let auditTimer: i64 = 0;

// AssemblyScript has no closures: what a callback needs travels in a context object.
class PutOp {
  constructor(public call: pg.Call, public item: Item) {}
}

class QuoteOp {
  constructor(public call: pg.Call, public quantity: i32, public subtotalCents: i64 = 0) {}
}

function key(sku: string): string {
  return "item/" + sku;
}

// ---- Put: Write, then Sync, then answer --------------------------------------------------

function put(call: pg.Call, request: PutRequest): void {
  const item = request.item;
  if (item === null || item.sku.length == 0) {
    call.fail(pg.Status.INVALID_ARGUMENT, "Put needs an item with a sku");
    return;
  }
  pg.assertAlways(item.priceCents >= 0, "catalog prices are never negative");
  const value = pg.encode<Item>(item, Item.encode);
  const id = pg.storageWrite<PutOp>(key(item.sku), value, written, new PutOp(call, item));
  if (id < 0) call.fail(<i32>-id, "storage write refused");
}

function written(op: PutOp, status: i32): void {
  if (status != pg.Status.OK) {
    op.call.fail(status, "write of " + op.item.sku + " failed");
    return;
  }
  pg.storageSync<PutOp>(synced, op);
}

function synced(op: PutOp, status: i32): void {
  if (status != pg.Status.OK) {
    op.call.fail(status, "sync after " + op.item.sku + " failed");
    return;
  }
  puts++;
  pg.info("stored " + op.item.sku + " at " + pg.nowNs().toString() + " ns");
  if (auditTimer != 0) pg.timerCancel(auditTimer); // only the last Put of a burst is audited
  auditTimer = pg.timer<PutOp>(AUDIT_DELAY_NS, audit, op);
  op.call.reply<PutReply>(new PutReply(puts), PutReply.encode);
}

function audit(op: PutOp, timer: i64): void {
  auditTimer = 0;
  pg.info("audit: " + puts.toString() + " puts, last " + op.item.sku + ", at " + pg.nowNs().toString() + " ns");
}

// ---- Get: Read, answered late when BUGGIFY says so --------------------------------------------

function get(call: pg.Call, request: GetRequest): void {
  pg.storageRead<pg.Call>(key(request.sku), found, call);
}

function found(call: pg.Call, status: i32, present: bool, value: Uint8Array): void {
  if (status != pg.Status.OK) {
    call.fail(status, "read failed");
    return;
  }
  const item = present ? pg.decode<Item>(value, Item.decode) : null;
  const reply = new GetReply(present, item);
  if (pg.buggify("catalog.get.slow")) {
    pg.timer<SlowGet>(SLOW_GET_NS, answerLate, new SlowGet(call, reply));
    return;
  }
  call.reply<GetReply>(reply, GetReply.encode);
}

class SlowGet {
  constructor(public call: pg.Call, public reply: GetReply) {}
}

function answerLate(slow: SlowGet, timer: i64): void {
  pg.warn("buggify: answered Get late");
  slow.call.reply<GetReply>(slow.reply, GetReply.encode);
}

// ---- Quote: Read, then a typed call to Pricing with a deadline -----------------------------------

function quote(call: pg.Call, request: QuoteRequest): void {
  if (request.quantity <= 0) {
    call.fail(pg.Status.INVALID_ARGUMENT, "quantity must be positive");
    return;
  }
  pg.storageRead<QuoteOp>(key(request.sku), priced, new QuoteOp(call, request.quantity));
}

function priced(op: QuoteOp, status: i32, present: bool, value: Uint8Array): void {
  if (status != pg.Status.OK || !present) {
    op.call.fail(present ? status : pg.Status.NOT_FOUND, "no such item");
    return;
  }
  const item = pg.decode<Item>(value, Item.decode);
  op.subtotalCents = item.priceCents * op.quantity;
  const id = pg.call<TaxRequest, TaxReply, QuoteOp>(PRICING, "Tax", new TaxRequest(op.subtotalCents),
    TaxRequest.encode, TaxReply.decode, taxed, op, TAX_TIMEOUT_NS);
  if (id < 0) op.call.fail(<i32>-id, "call to Pricing refused");
}

function taxed(op: QuoteOp, status: i32, tax: TaxReply | null): void {
  if (tax === null) {
    op.call.fail(status, "Pricing.Tax failed");
    return;
  }
  pg.assertSometimes(tax.taxCents > 0, "some quotes are taxed");
  const total = op.subtotalCents + tax.taxCents;
  op.call.reply<QuoteReply>(new QuoteReply(op.subtotalCents, tax.taxCents, total), QuoteReply.encode);
}

// ---- boot --------------------------------------------------------------------------------------

function start(): i32 {
  let status = pg.exportService(CATALOG);
  if (status == pg.Status.OK) status = pg.requireService(PRICING);
  if (status == pg.Status.OK) status = pg.requireService(pg.STORAGE);
  if (status == pg.Status.OK) status = pg.handle<PutRequest>(CATALOG, "Put", PutRequest.decode, put);
  if (status == pg.Status.OK) status = pg.handle<GetRequest>(CATALOG, "Get", GetRequest.decode, get);
  if (status == pg.Status.OK) status = pg.handle<QuoteRequest>(CATALOG, "Quote", QuoteRequest.decode, quote);
  return status;
}

function ready(): i32 {
  pg.info("catalog ready");
  return 0;
}

pg.onStart(start);
pg.onReady(ready);
