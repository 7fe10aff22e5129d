;; A guest that writes stdout in pieces, as C's stdio does when its buffer fills: method "Split"
;; writes "caf" and the first byte of "é" (0xc3) in one fd_write, then its second byte (0xa9) and
;; " au lait\n" in another (one iovec each); "Endless" writes 100,000 bytes of 'x' with no newline,
;; 10,000 at a time (a line without end). Each call replies with nothing.
;; Hand-written WebAssembly text, built by build-wat.sh with wabt's wat2wasm.
(module
  (import "parigot" "export_service" (func $export (param i32 i32) (result i32)))
  (import "parigot" "reply" (func $reply (param i64 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 16) "test.v1.Stdio")
  (data (i32.const 64) "caf\c3")
  (data (i32.const 80) "\a9 au lait\n")
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (call $export (i32.const 16) (i32.const 13)))
  (func (export "parigot_ready") (result i32) (i32.const 0))
  ;; One fd_write to stdout of len bytes at ptr, through the iovec at 256 and the count at 264.
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 256) (local.get $ptr))
    (i32.store (i32.const 260) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 256) (i32.const 1) (i32.const 264))))
  (func (export "parigot_on_call")
    (param $call i64) (param i32 i32 i32) (param $method_len i32) (param i32 i32)
    (local $i i32)
    (if (i32.eq (local.get $method_len) (i32.const 5)) ;; Split
      (then
        (call $write (i32.const 64) (i32.const 4))
        (call $write (i32.const 80) (i32.const 10)))
      (else ;; Endless
        (memory.fill (i32.const 4096) (i32.const 120) (i32.const 10000))
        (loop $more
          (call $write (i32.const 4096) (i32.const 10000))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 10))))))
    (drop (call $reply (local.get $call) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
