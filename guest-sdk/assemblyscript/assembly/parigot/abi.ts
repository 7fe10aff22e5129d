// The raw ABI v1 imports (module "parigot"), as docs/abi.md defines them. The SDK is written
// on these; using them directly bypasses its bookkeeping (a raw call's result and a raw
// timer's firing reach no callback: the SDK drops them). Pointers are offsets in linear
// memory, lengths are i32, strings are UTF-8 without a terminator.

@external("parigot", "export_service")
export declare function export_service(name_ptr: usize, name_len: i32): i32;

@external("parigot", "require_service")
export declare function require_service(name_ptr: usize, name_len: i32): i32;

@external("parigot", "call")
export declare function call(
  svc_ptr: usize, svc_len: i32, method_ptr: usize, method_len: i32, payload_ptr: usize, payload_len: i32,
): i64;

@external("parigot", "reply")
export declare function reply(call: i64, status: i32, payload_ptr: usize, payload_len: i32): i32;

@external("parigot", "timer_set")
export declare function timer_set(delay_ns: i64): i64;

@external("parigot", "timer_cancel")
export declare function timer_cancel(timer: i64): i32;

@external("parigot", "now_ns")
export declare function now_ns(): i64;

@external("parigot", "random_bytes")
export declare function random_bytes(ptr: usize, len: i32): void;

@external("parigot", "log")
export declare function log(level: i32, ptr: usize, len: i32): void;

@external("parigot", "exit")
export declare function exit(code: i32): void;

@external("parigot", "buggify")
export declare function buggify(site_ptr: usize, site_len: i32): i32;

@external("parigot", "assert")
export declare function assert(kind: i32, cond: i32, msg_ptr: usize, msg_len: i32): void;
