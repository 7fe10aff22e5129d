// shop.v1.Catalog of the record shop (samples/src/main/proto/shop/v1/catalog.proto): the records
// Vinny's Vintage Vinyl sells, with their prices. The catalog is fixed at build time: Get answers
// one record by sku (NOT_FOUND for another), List answers all of them in sku order. The message
// classes in ./assembly/generated come from as-proto-gen (samples/shop/build.sh).
import * as pg from "../../../guest-sdk/assemblyscript/assembly/parigot";
import { GetRecordRequest } from "./assembly/generated/shop/v1/GetRecordRequest";
import { ListRecordsReply } from "./assembly/generated/shop/v1/ListRecordsReply";
import { ListRecordsRequest } from "./assembly/generated/shop/v1/ListRecordsRequest";
import { Record } from "./assembly/generated/shop/v1/Record";

// The ABI exports (parigot_start, parigot_on_call, parigot_alloc, ...) come from the SDK.
export * from "../../../guest-sdk/assemblyscript/assembly/parigot/exports";

const CATALOG = "shop.v1.Catalog";

// In sku order; ShopSample in the Java tests names the same records.
const RECORDS: Record[] = [
  new Record("blue-note-1577", "Blue Train", "John Coltrane", 4500),
  new Record("columbia-8163", "Kind of Blue", "Miles Davis", 3900),
  new Record("harvest-11163", "The Dark Side of the Moon", "Pink Floyd", 3500),
  new Record("parlophone-7027", "Abbey Road", "The Beatles", 4200),
  new Record("verve-8526", "Getz/Gilberto", "Stan Getz & Joao Gilberto", 2800),
];

function find(sku: string): Record | null {
  for (let i = 0; i < RECORDS.length; i++) {
    if (RECORDS[i].sku == sku) return RECORDS[i];
  }
  return null;
}

function get(call: pg.Call, request: GetRecordRequest): void {
  const record = find(request.sku);
  if (record === null) {
    call.fail(pg.Status.NOT_FOUND, "no record " + request.sku);
    return;
  }
  call.reply<Record>(record, Record.encode);
}

function list(call: pg.Call, request: ListRecordsRequest): void {
  call.reply<ListRecordsReply>(new ListRecordsReply(RECORDS), ListRecordsReply.encode);
}

function start(): i32 {
  let status = pg.exportService(CATALOG);
  if (status == pg.Status.OK) status = pg.handle<GetRecordRequest>(CATALOG, "Get", GetRecordRequest.decode, get);
  if (status == pg.Status.OK) status = pg.handle<ListRecordsRequest>(CATALOG, "List", ListRecordsRequest.decode, list);
  return status;
}

pg.onStart(start);
