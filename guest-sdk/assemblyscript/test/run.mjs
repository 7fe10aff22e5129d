// Runs test/sdk_test.ts's module (path in argv[2]) against a scripted kernel that records every
// import, and checks what the SDK does with each event. Exit 1 on the first failed check.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const bytes = readFileSync(process.argv[2]);
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });
let mem;
const view = (ptr, len) => new Uint8Array(mem.buffer, ptr, len);
const str = (ptr, len) => dec.decode(view(ptr, len).slice());
const k = { nextId: 100n, now: 0n, calls: [], replies: [], logs: [], timers: new Map(), asserts: [], exits: [] };
const imports = {
  env: {
    abort(msg, file, line, col) {
      const s = (p) => (p ? String.fromCharCode(...new Uint16Array(mem.buffer, p, new Uint32Array(mem.buffer, p - 4, 1)[0] / 2)) : "");
      throw new Error(`abort(${s(msg)}) at ${s(file)}:${line}:${col}`);
    },
  },
  parigot: {
    export_service: (p, n) => (k.exported = str(p, n), 0),
    require_service: (p, n) => (k.required = str(p, n), 0),
    call(sp, sl, mp, ml, pp, pl) {
      const id = k.nextId++;
      k.calls.push({ id, svc: str(sp, sl), method: str(mp, ml), payload: view(pp, pl).slice() });
      return id;
    },
    reply(id, status, pp, pl) {
      k.replies.push({ id, status, payload: view(pp, pl).slice() });
      return 0;
    },
    timer_set(delay) {
      const id = k.nextId++;
      k.timers.set(id, k.now + delay);
      return id;
    },
    timer_cancel: (id) => (k.timers.delete(id) ? 0 : 5),
    now_ns: () => k.now,
    random_bytes: (p, n) => view(p, n).fill(0xab),
    log: (level, p, n) => k.logs.push({ level, text: str(p, n), bytes: n }),
    exit: (code) => k.exits.push(code),
    buggify: (p, n) => (str(p, n) === "site.a" ? 1 : 0),
    assert: (kind, cond, p, n) => k.asserts.push([kind, cond, str(p, n)]),
  },
};
const { instance } = await WebAssembly.instantiate(bytes, imports);
const x = instance.exports;
mem = x.memory;

function put(data) {
  const ptr = x.parigot_alloc(data.length);
  assert.ok(ptr > 0, "parigot_alloc returned 0");
  view(ptr, data.length).set(data);
  return ptr;
}
function onCall(method, payload = new Uint8Array(0)) {
  const id = k.nextId++;
  const svc = enc.encode("test.v1.T"), m = enc.encode(method);
  const block = new Uint8Array([...svc, ...m, ...payload]);
  const ptr = put(block);
  x.parigot_on_call(id, ptr, svc.length, ptr + svc.length, m.length, ptr + svc.length + m.length, payload.length);
  return id;
}
const replyTo = (id) => k.replies.filter((r) => r.id === id);
let checks = 0;
function check(name, fn) {
  fn();
  checks++;
}

x._initialize();
check("start declares and registers; a second handler for a pair is ALREADY_EXISTS", () => {
  assert.equal(x.parigot_start(), 0);
  assert.equal(k.exported, "test.v1.T");
  assert.equal(k.required, "test.v1.Dep");
  assert.equal(k.logs.at(-1).text, "second handler for Echo: 6");
  assert.equal(x.parigot_ready(), 0);
});
check("a raw handler gets the payload and replies with it", () => {
  const id = onCall("Echo", enc.encode("h\u00e9llo"));
  assert.deepEqual(replyTo(id).map((r) => [r.status, dec.decode(r.payload)]), [[0, "h\u00e9llo"]]);
  const empty = onCall("Echo");
  assert.deepEqual(replyTo(empty).map((r) => [r.status, r.payload.length]), [[0, 0]]);
});
check("an unknown method is answered UNIMPLEMENTED and logged at WARN", () => {
  const id = onCall("Shout");
  assert.deepEqual(replyTo(id).map((r) => [r.status, r.payload.length]), [[12, 0]]);
  assert.deepEqual(k.logs.at(-1), { level: 3, text: `reply 12 to call ${id}: test.v1.T has no method "Shout"`, bytes: k.logs.at(-1).bytes });
});
check("a result reaches the call's callback and cancels its deadline timer", () => {
  const id = onCall("CallDep", enc.encode("q"));
  const out = k.calls.at(-1);
  assert.deepEqual([out.svc, out.method, dec.decode(out.payload)], ["test.v1.Dep", "M", "q"]);
  assert.equal(k.timers.size, 1, "one deadline timer");
  const [deadline] = k.timers.keys();
  const answer = enc.encode("ans");
  x.parigot_on_result(out.id, 0, put(answer), answer.length);
  assert.deepEqual(replyTo(id).map((r) => [r.status, dec.decode(r.payload)]), [[0, "ans"]]);
  assert.equal(k.timers.size, 0, "the deadline timer was cancelled");
  x.parigot_on_timer(deadline); // a stale firing does nothing
  x.parigot_on_result(out.id, 0, 0, 0); // nor does a duplicate result
  assert.equal(replyTo(id).length, 1);
});
check("a deadline that fires first gives DEADLINE_EXCEEDED once and drops the late result", () => {
  const id = onCall("CallDep", enc.encode("slow"));
  const out = k.calls.at(-1);
  const [deadline] = k.timers.keys();
  assert.equal(k.timers.get(deadline), 1000n);
  k.timers.delete(deadline); // it fires
  x.parigot_on_timer(deadline);
  assert.deepEqual(replyTo(id).map((r) => [r.status, r.payload.length]), [[4, 0]]);
  x.parigot_on_result(out.id, 0, 0, 0);
  assert.equal(replyTo(id).length, 1);
});
check("timers fire their callback; a cancelled one is NOT_FOUND when cancelled again", () => {
  k.now = 40n;
  const id = onCall("Timers");
  assert.equal(k.logs.at(-1).text, "cancel 0 then 5");
  assert.equal(k.timers.size, 1);
  const [timer, at] = [...k.timers][0];
  assert.equal(at, 45n);
  k.now = at;
  k.timers.delete(timer);
  x.parigot_on_timer(timer);
  assert.deepEqual(replyTo(id).map((r) => dec.decode(r.payload)), [`fired ${timer} at 45`]);
});
check("log text is truncated at 1024 bytes without cutting a UTF-8 character", () => {
  const long = "\u00e9".repeat(700); // 1400 bytes
  onCall("Log", enc.encode(long));
  const line = k.logs.at(-1);
  assert.equal(line.bytes, 1024);
  assert.equal(line.text, "\u00e9".repeat(512));
  onCall("Log", enc.encode("a" + "\u00e9".repeat(700)));
  assert.equal(k.logs.at(-1).bytes, 1023, "backs up over the continuation byte");
});
check("random bytes, buggify, the four assertion kinds, status without payload, exit", () => {
  const id = onCall("Aids", new Uint8Array([1]));
  assert.deepEqual(k.asserts, [[0, 1, "random bytes come from the kernel"], [1, 1, "buggify fired"], [2, 1, "aids reached"],
    [3, 0, "never here"]]);
  assert.deepEqual(replyTo(id).map((r) => [r.status, r.payload.length]), [[10, 0]]);
  assert.deepEqual(k.exits, [3]);
});
check("event blocks are freed: after a warm-up, 20000 calls of 4 KiB (80 MB) do not grow memory", () => {
  const payload = new Uint8Array(4096).fill(7);
  for (let i = 0; i < 2000; i++) onCall("Echo", payload); // the collector settles on its heap size
  const before = mem.buffer.byteLength;
  for (let i = 0; i < 20000; i++) onCall("Echo", payload);
  assert.equal(mem.buffer.byteLength, before);
});
console.log(`sdk test: ${checks} checks passed`);
