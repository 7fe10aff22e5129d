;; A module that imports what other toolchains' builds import and the kernel does not provide:
;; AssemblyScript's env.seed (Math.random), env.trace and env.Date.now, a C function no library
;; defined (env.*), and old WASI (wasi_unstable). Loading it must name every one, with a hint.
(module
  (import "env" "seed" (func (result f64)))
  (import "env" "trace" (func (param i32 i32 f64 f64 f64 f64 f64)))
  (import "env" "Date.now" (func (result f64)))
  (import "env" "sqlite3_open" (func (param i32 i32) (result i32)))
  (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "parigot_abi_v1"))
  (func (export "parigot_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "parigot_start") (result i32) (i32.const 0))
  (func (export "parigot_ready") (result i32) (i32.const 0))
  (func (export "parigot_on_call") (param i64 i32 i32 i32 i32 i32 i32))
  (func (export "parigot_on_result") (param i64 i32 i32 i32))
  (func (export "parigot_on_timer") (param i64)))
