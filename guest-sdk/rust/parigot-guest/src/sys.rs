//! The `parigot` imports of ABI v1 (docs/abi.md, "Host imports").
//!
//! On `wasm32` they are the kernel's functions. On any other target (`cargo test` on the
//! host) they are an in-process double, [`host`], that records what the guest did and answers
//! with ids, so that the SDK's bookkeeping can be tested without a kernel.

#[cfg(target_arch = "wasm32")]
pub(crate) mod imports {
    #[link(wasm_import_module = "parigot")]
    extern "C" {
        pub fn export_service(name_ptr: *const u8, name_len: i32) -> i32;
        pub fn require_service(name_ptr: *const u8, name_len: i32) -> i32;
        pub fn call(
            svc_ptr: *const u8,
            svc_len: i32,
            method_ptr: *const u8,
            method_len: i32,
            payload_ptr: *const u8,
            payload_len: i32,
        ) -> i64;
        pub fn reply(call: i64, status: i32, payload_ptr: *const u8, payload_len: i32) -> i32;
        pub fn timer_set(delay_ns: i64) -> i64;
        pub fn timer_cancel(timer: i64) -> i32;
        pub fn now_ns() -> i64;
        pub fn random_bytes(ptr: *mut u8, len: i32);
        pub fn log(level: i32, ptr: *const u8, len: i32);
        pub fn exit(code: i32);
        pub fn buggify(site_ptr: *const u8, site_len: i32) -> i32;
        pub fn assert(kind: i32, cond: i32, msg_ptr: *const u8, msg_len: i32);
    }
}

/// Lengths the SDK passes are checked against `i32::MAX` by the callers that can exceed it.
#[cfg(target_arch = "wasm32")]
fn len32(bytes: &[u8]) -> i32 {
    bytes.len().min(i32::MAX as usize) as i32
}

#[cfg(target_arch = "wasm32")]
pub(crate) mod backend {
    use super::{imports, len32};

    pub fn export_service(name: &str) -> i32 {
        unsafe { imports::export_service(name.as_ptr(), len32(name.as_bytes())) }
    }
    pub fn require_service(name: &str) -> i32 {
        unsafe { imports::require_service(name.as_ptr(), len32(name.as_bytes())) }
    }
    pub fn call(service: &str, method: &str, payload: &[u8]) -> i64 {
        unsafe {
            imports::call(
                service.as_ptr(),
                len32(service.as_bytes()),
                method.as_ptr(),
                len32(method.as_bytes()),
                payload.as_ptr(),
                len32(payload),
            )
        }
    }
    pub fn reply(call: i64, status: i32, payload: &[u8]) -> i32 {
        unsafe { imports::reply(call, status, payload.as_ptr(), len32(payload)) }
    }
    pub fn timer_set(delay_ns: i64) -> i64 {
        unsafe { imports::timer_set(delay_ns) }
    }
    pub fn timer_cancel(timer: i64) -> i32 {
        unsafe { imports::timer_cancel(timer) }
    }
    pub fn now_ns() -> i64 {
        unsafe { imports::now_ns() }
    }
    pub fn random_bytes(buf: &mut [u8]) {
        for chunk in buf.chunks_mut(i32::MAX as usize) {
            unsafe { imports::random_bytes(chunk.as_mut_ptr(), chunk.len() as i32) }
        }
    }
    pub fn log(level: i32, text: &str) {
        unsafe { imports::log(level, text.as_ptr(), len32(text.as_bytes())) }
    }
    pub fn exit(code: i32) {
        unsafe { imports::exit(code) }
    }
    pub fn buggify(site: &str) -> i32 {
        unsafe { imports::buggify(site.as_ptr(), len32(site.as_bytes())) }
    }
    pub fn assert(kind: i32, cond: bool, msg: &str) {
        unsafe { imports::assert(kind, cond as i32, msg.as_ptr(), len32(msg.as_bytes())) }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use host as backend;

/// The in-process double of the kernel used by `cargo test` on the host: one per thread.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub mod host {
    use std::cell::RefCell;

    /// Everything the guest did through the imports, in order.
    #[derive(Debug, Default, Clone)]
    pub struct Record {
        pub exported: Vec<String>,
        pub required: Vec<String>,
        /// (id, service, method, payload)
        pub calls: Vec<(i64, String, String, Vec<u8>)>,
        /// (call, status, payload)
        pub replies: Vec<(i64, i32, Vec<u8>)>,
        /// (id, delay)
        pub timers: Vec<(i64, i64)>,
        pub cancelled: Vec<i64>,
        pub logs: Vec<(i32, String)>,
        pub exits: Vec<i32>,
        /// (kind, cond, msg)
        pub asserts: Vec<(i32, bool, String)>,
        pub now_ns: i64,
        pub buggify_sites: Vec<String>,
        /// What `buggify` answers.
        pub buggify_answer: bool,
        next_id: i64,
    }

    thread_local! {
        static RECORD: RefCell<Record> = RefCell::new(Record::default());
    }

    /// Runs `f` on this thread's record.
    pub fn with<T>(f: impl FnOnce(&mut Record) -> T) -> T {
        RECORD.with(|r| f(&mut r.borrow_mut()))
    }

    fn next_id() -> i64 {
        with(|r| {
            r.next_id += 1;
            r.next_id
        })
    }

    pub fn export_service(name: &str) -> i32 {
        with(|r| {
            if r.exported.iter().any(|n| n == name) {
                return 6;
            }
            r.exported.push(name.to_string());
            0
        })
    }
    pub fn require_service(name: &str) -> i32 {
        with(|r| r.required.push(name.to_string()));
        0
    }
    pub fn call(service: &str, method: &str, payload: &[u8]) -> i64 {
        if !with(|r| r.required.iter().any(|n| n == service)) {
            return -9;
        }
        let id = next_id();
        with(|r| r.calls.push((id, service.to_string(), method.to_string(), payload.to_vec())));
        id
    }
    pub fn reply(call: i64, status: i32, payload: &[u8]) -> i32 {
        with(|r| {
            if r.replies.iter().any(|(c, _, _)| *c == call) {
                return 9;
            }
            r.replies.push((call, status, payload.to_vec()));
            0
        })
    }
    pub fn timer_set(delay_ns: i64) -> i64 {
        if delay_ns < 0 {
            return -3;
        }
        let id = next_id();
        with(|r| r.timers.push((id, delay_ns)));
        id
    }
    pub fn timer_cancel(timer: i64) -> i32 {
        with(|r| {
            if r.timers.iter().any(|(t, _)| *t == timer) && !r.cancelled.contains(&timer) {
                r.cancelled.push(timer);
                0
            } else {
                5
            }
        })
    }
    pub fn now_ns() -> i64 {
        with(|r| r.now_ns)
    }
    pub fn random_bytes(buf: &mut [u8]) {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = i as u8;
        }
    }
    pub fn log(level: i32, text: &str) {
        with(|r| r.logs.push((level, text.to_string())));
    }
    pub fn exit(code: i32) {
        with(|r| r.exits.push(code));
    }
    pub fn buggify(site: &str) -> i32 {
        with(|r| {
            r.buggify_sites.push(site.to_string());
            r.buggify_answer as i32
        })
    }
    pub fn assert(kind: i32, cond: bool, msg: &str) {
        with(|r| r.asserts.push((kind, cond, msg.to_string())));
    }
}
