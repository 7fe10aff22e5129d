;; A module whose handler uses WebAssembly SIMD (v128): loading it must refuse it, naming the
;; instruction and the function, with either engine.
(module
  (memory (export "memory") 1)
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (i32.const 0))
  (func (export "parigot_ready") (result i32) (i32.const 0))
  (func $sum_lanes (result i32)
    (i32x4.extract_lane 0 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 1 2 3 4))))
  (func (export "parigot_on_call") (param i64 i32 i32 i32 i32 i32 i32) (drop (call $sum_lanes)))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
