;; A guest built with WebAssembly's legacy exception handling (try/catch, opcodes 0x06 and
;; 0x07), as clang 16 emits for setjmp/longjmp with -mllvm -wasm-enable-sjlj and for C++
;; exceptions: Chicory 1.7 parses only the newer form (try_table), so the load must say what
;; the instructions are and how to build without them.
;; Hand-written WebAssembly text, built by build-wat.sh with wabt's wat2wasm (--enable-exceptions).
(module
  (import "parigot" "export_service" (func $export (param i32 i32) (result i32)))
  (tag $jump (param i32))
  (memory (export "memory") 1 1)
  (data (i32.const 16) "test.v1.Jump")
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (call $export (i32.const 16) (i32.const 12)))
  (func (export "parigot_ready") (result i32)
    (try (result i32)
      (do (throw $jump (i32.const 7)))
      (catch $jump)))
  (func (export "parigot_on_call") (param i64 i32 i32 i32 i32 i32 i32))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
