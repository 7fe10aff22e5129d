;; A module whose env.abort has another type than AssemblyScript's (i32, i32, i32, i32) -> ():
;; loading it must say so, not that env.abort is unknown.
(module
  (import "env" "abort" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (i32.const 0))
  (func (export "parigot_ready") (result i32) (i32.const 0))
  (func (export "parigot_on_call") (param i64 i32 i32 i32 i32 i32 i32))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
