// The ABI v1 exports. A service's entry file re-exports them all:
//   export * from "<sdk>/assembly/parigot/exports";
import { dispatchCall, dispatchReady, dispatchResult, dispatchStart, dispatchTimer } from "./runtime";

/** Marks an ABI v1 service; never called. */
export function parigot_abi_v1(): void {}

/**
 * A block of `size` bytes the kernel writes an event's bytes into, right before the event's
 * handler. heap.alloc is the runtime's raw allocator: not tracked by the garbage collector,
 * never collected while the kernel writes, and it calls no import (out of memory aborts, a
 * crash either way). The dispatch functions copy the bytes out and heap.free the block.
 */
export function parigot_alloc(size: i32): usize {
  return heap.alloc(<usize>size);
}

export function parigot_start(): i32 {
  return dispatchStart();
}

export function parigot_ready(): i32 {
  return dispatchReady();
}

export function parigot_on_call(
  call: i64, svc_ptr: usize, svc_len: i32, method_ptr: usize, method_len: i32, payload_ptr: usize, payload_len: i32,
): void {
  // One block holds service, method and payload back to back, starting at svc_ptr.
  dispatchCall(call, svc_ptr, svc_len, method_len, payload_len);
}

export function parigot_on_result(call: i64, status: i32, payload_ptr: usize, payload_len: i32): void {
  dispatchResult(call, status, payload_ptr, payload_len);
}

export function parigot_on_timer(timer: i64): void {
  dispatchTimer(timer);
}
