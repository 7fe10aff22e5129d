;; A guest with a shared memory that waits on it (memory.atomic.wait32): proves a wait never
;; sleeps a world's thread. Method "Timed" waits with a timeout on a value that matches, "Forever"
;; waits with none (a deadlock: it must fail the world, not hang it), any other waits on a value
;; that differs. Each answers with the wait's i32 result (little-endian, 4 bytes).
;; Hand-written WebAssembly text, built by build-wat.sh with wabt's wat2wasm (--enable-threads).
(module
  (import "parigot" "export_service" (func $export (param i32 i32) (result i32)))
  (import "parigot" "reply" (func $reply (param i64 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (data (i32.const 16) "test.v1.Wait")
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (call $export (i32.const 16) (i32.const 12)))
  (func (export "parigot_ready") (result i32) (i32.const 0))
  (func (export "parigot_on_call")
    (param $call i64) (param i32 i32 i32) (param $method_len i32) (param i32 i32)
    (local $result i32)
    (if (i32.eq (local.get $method_len) (i32.const 5)) ;; Timed: address 512 holds 0, as expected
      (then (local.set $result (memory.atomic.wait32 (i32.const 512) (i32.const 0) (i64.const 1000000))))
      (else (if (i32.eq (local.get $method_len) (i32.const 7)) ;; Forever: the same, no timeout
        (then (local.set $result (memory.atomic.wait32 (i32.const 512) (i32.const 0) (i64.const -1))))
        (else (local.set $result (memory.atomic.wait32 (i32.const 512) (i32.const 1) (i64.const -1)))))))
    (drop (memory.atomic.notify (i32.const 512) (i32.const 1)))
    (i32.store (i32.const 2048) (local.get $result))
    (drop (call $reply (local.get $call) (i32.const 0) (i32.const 2048) (i32.const 4))))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
