//! test.v1.RustEcho: a guest written in Rust with the standard library, built as a
//! `wasm32-wasi` cdylib by Debian's rustc, speaking ABI v1 through hand-written externs.
//!
//! A cdylib has no `_initialize`: wasm-ld wraps every export (`<name>.command_export`) so
//! that it runs the C runtime's constructors first. `env::vars` (method `Env`) links
//! wasi-libc's eager environment constructor, so every export, `parigot_alloc` included,
//! calls WASI `environ_sizes_get` and `environ_get` on entry (and leaks the previous copy of
//! the environment: about 90 bytes per entry here). `env::var` alone reads it once, lazily.
//!
//! Methods:
//! - `Echo`: replies with the request bytes and prints a line (WASI `fd_write` to stdout).
//! - `Whoami`: replies with text made by `format!` from `PARIGOT_NODE` (read with `std::env`
//!   inside the handler), the calls this node has served per method (a `HashMap`) and the
//!   request read as UTF-8.
//! - `Env`: replies with the node's whole environment (`env::vars`), one `NAME=value` a line.
//! - anything else: 12 UNIMPLEMENTED, with a line on stderr.

use std::cell::RefCell;
use std::collections::HashMap;
use std::env;

const SERVICE: &str = "test.v1.RustEcho";
const OK: i32 = 0;
const UNIMPLEMENTED: i32 = 12;
const LOG_INFO: i32 = 2;

#[link(wasm_import_module = "parigot")]
extern "C" {
    fn export_service(name_ptr: *const u8, name_len: i32) -> i32;
    fn reply(call: i64, status: i32, payload_ptr: *const u8, payload_len: i32) -> i32;
    #[link_name = "log"]
    fn parigot_log(level: i32, text_ptr: *const u8, text_len: i32);
}

fn log(level: i32, text: &str) {
    unsafe { parigot_log(level, text.as_ptr(), text.len() as i32) }
}

fn answer(call: i64, status: i32, payload: &[u8]) {
    unsafe { reply(call, status, payload.as_ptr(), payload.len() as i32) };
}

thread_local! {
    /// Calls served per method name.
    static CALLS: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
}

fn node() -> String {
    env::var("PARIGOT_NODE").unwrap_or_else(|_| String::from("?"))
}

/// Takes back a block that `parigot_alloc` handed out.
unsafe fn free_block(ptr: *mut u8, len: usize) {
    if !ptr.is_null() && len > 0 {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)));
    }
}

#[no_mangle]
pub extern "C" fn parigot_abi_v1() {}

/// A block from std's allocator, leaked to the kernel; the handler frees it.
#[no_mangle]
pub extern "C" fn parigot_alloc(size: i32) -> *mut u8 {
    if size <= 0 {
        return std::ptr::null_mut();
    }
    Box::into_raw(vec![0u8; size as usize].into_boxed_slice()) as *mut u8
}

#[no_mangle]
pub extern "C" fn parigot_start() -> i32 {
    log(LOG_INFO, &format!("{} starting (Rust std)", SERVICE));
    unsafe { export_service(SERVICE.as_ptr(), SERVICE.len() as i32) }
}

#[no_mangle]
pub extern "C" fn parigot_ready() -> i32 {
    println!("{} ready", node());
    0
}

#[no_mangle]
pub extern "C" fn parigot_on_call(
    call: i64,
    svc: *mut u8,
    svc_len: i32,
    method: *const u8,
    method_len: i32,
    payload: *const u8,
    payload_len: i32,
) {
    let (method_name, request) = unsafe {
        (
            String::from_utf8_lossy(std::slice::from_raw_parts(method, method_len as usize)).into_owned(),
            std::slice::from_raw_parts(payload, payload_len as usize).to_vec(),
        )
    };
    unsafe { free_block(svc, (svc_len + method_len + payload_len) as usize) };

    let served = CALLS.with(|calls| {
        let mut calls = calls.borrow_mut();
        let count = calls.entry(method_name.clone()).or_insert(0);
        *count += 1;
        *count
    });
    let me = node();
    match method_name.as_str() {
        "Echo" => {
            println!("{} echo #{}: {} bytes", me, served, request.len());
            answer(call, OK, &request);
        }
        "Whoami" => {
            let (echoes, total) = CALLS.with(|calls| {
                let calls = calls.borrow();
                (calls.get("Echo").copied().unwrap_or(0), calls.values().sum::<u64>())
            });
            let text = format!(
                "node={} echoes={} calls={} request={:?}",
                me,
                echoes,
                total,
                String::from_utf8_lossy(&request)
            );
            println!("{} whoami #{}", me, served);
            answer(call, OK, text.as_bytes());
        }
        "Env" => {
            // env::vars reads libc's `environ`, which links wasi-libc's eager environment
            // constructor: with it, every export (parigot_alloc too) reads the environment.
            let vars: Vec<String> = env::vars().map(|(k, v)| format!("{}={}", k, v)).collect();
            answer(call, OK, vars.join("\n").as_bytes());
        }
        other => {
            eprintln!("{} has no method {:?}", SERVICE, other);
            answer(call, UNIMPLEMENTED, &[]);
        }
    }
}

#[no_mangle]
pub extern "C" fn parigot_on_result(_call: i64, _status: i32, payload: *mut u8, payload_len: i32) {
    // This service makes no calls; free whatever block the kernel allocated anyway.
    unsafe { free_block(payload, payload_len as usize) };
}

#[no_mangle]
pub extern "C" fn parigot_on_timer(_timer: i64) {}
