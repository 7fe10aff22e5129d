//! The SDK's bookkeeping: registered handlers, calls awaiting a result, pending timers, and the
//! functions behind the ABI exports that [`export_abi!`](crate::export_abi) defines.
//!
//! The kernel delivers one event at a time and no import calls back into the guest, so one
//! thread-local table is enough. It is never borrowed while user code runs: a handler or a
//! callback may call, reply, set timers or cancel them freely.

use crate::{sys::backend, Level, Status, TimerId};
use std::alloc::{self, Layout};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A registered method: decodes the request and runs the user's handler.
pub(crate) type Handler = Rc<RefCell<dyn FnMut(i64, &[u8])>>;
/// What runs with the result of an outgoing call.
pub(crate) type ResultFn = Box<dyn FnOnce(Status, &[u8])>;
/// What runs when a timer fires.
pub(crate) type TimerFn = Box<dyn FnOnce(TimerId)>;

/// An outgoing call awaiting its result, and the timer racing it (`call_timeout`).
struct Pending {
    on_result: ResultFn,
    deadline: Option<i64>,
}

struct Runtime {
    /// service -> method -> handler. BTreeMap, not HashMap: a HashMap seeds itself from WASI
    /// random_get, which would make the node's boot seed-dependent (no boot image).
    handlers: BTreeMap<String, BTreeMap<String, Handler>>,
    exported: Vec<String>,
    calls: BTreeMap<i64, Pending>,
    timers: BTreeMap<i64, TimerFn>,
}

thread_local! {
    static RT: RefCell<Runtime> = RefCell::new(Runtime {
        handlers: BTreeMap::new(),
        exported: Vec::new(),
        calls: BTreeMap::new(),
        timers: BTreeMap::new(),
    });
}

fn with<T>(f: impl FnOnce(&mut Runtime) -> T) -> T {
    RT.with(|rt| f(&mut rt.borrow_mut()))
}

pub(crate) fn note_export(service: &str) {
    with(|rt| rt.exported.push(service.to_string()));
}

pub(crate) fn is_exported(service: &str) -> bool {
    with(|rt| rt.exported.iter().any(|s| s == service))
}

/// Registers a handler; false if (service, method) already has one.
pub(crate) fn add_handler(service: &str, method: &str, handler: Handler) -> bool {
    with(|rt| {
        let methods = rt.handlers.entry(service.to_string()).or_insert_with(BTreeMap::new);
        if methods.contains_key(method) {
            return false;
        }
        methods.insert(method.to_string(), handler);
        true
    })
}

/// Sends a call and keeps `on_result` for its result; with `timeout_ns`, a timer races it.
pub(crate) fn send(
    service: &str,
    method: &str,
    payload: &[u8],
    timeout_ns: Option<i64>,
    on_result: ResultFn,
) -> Result<i64, Status> {
    if payload.len() > i32::MAX as usize || service.len() > i32::MAX as usize || method.len() > i32::MAX as usize {
        return Err(Status::INVALID_ARGUMENT);
    }
    if let Some(t) = timeout_ns {
        if t < 0 {
            return Err(Status::INVALID_ARGUMENT);
        }
    }
    let id = backend::call(service, method, payload);
    if id <= 0 {
        return Err(Status::from_code((-id) as i32));
    }
    let deadline = match timeout_ns {
        None => None,
        Some(t) => {
            let timer = backend::timer_set(t);
            if timer <= 0 {
                // The call is sent: its result, if it comes, is dropped as unknown.
                return Err(Status::from_code((-timer) as i32));
            }
            with(|rt| rt.timers.insert(timer, Box::new(move |_| deadline_passed(id))));
            Some(timer)
        }
    };
    with(|rt| rt.calls.insert(id, Pending { on_result, deadline }));
    Ok(id)
}

/// A call_timeout deadline won the race: the call's callback gets DEADLINE_EXCEEDED and its
/// result, if it ever comes, is dropped.
fn deadline_passed(call: i64) {
    if let Some(pending) = with(|rt| rt.calls.remove(&call)) {
        (pending.on_result)(Status::DEADLINE_EXCEEDED, &[]);
    }
}

pub(crate) fn set_timer(delay_ns: i64, on_fire: TimerFn) -> Result<i64, Status> {
    if delay_ns < 0 {
        return Err(Status::INVALID_ARGUMENT);
    }
    let id = backend::timer_set(delay_ns);
    if id <= 0 {
        return Err(Status::from_code((-id) as i32));
    }
    with(|rt| rt.timers.insert(id, on_fire));
    Ok(id)
}

pub(crate) fn cancel_timer(timer: i64) -> Status {
    let known = with(|rt| rt.timers.remove(&timer)).is_some();
    let status = Status::from_code(backend::timer_cancel(timer));
    if known {
        status
    } else {
        Status::NOT_FOUND
    }
}

/// The number of calls awaiting a result and of timers pending.
#[cfg(test)]
pub(crate) fn pending() -> (usize, usize) {
    with(|rt| (rt.calls.len(), rt.timers.len()))
}

// ---- the ABI exports ----------------------------------------------------------------------

/// A block the kernel writes an event's bytes into; freed by the event's handler.
fn block_layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size, 8).ok()
}

/// `parigot_alloc`: plain guest code, no import. 0 (a crash of the node) if out of memory.
pub fn alloc(size: i32) -> *mut u8 {
    match block_layout(size.max(1) as usize) {
        Some(layout) => unsafe { alloc::alloc(layout) },
        None => std::ptr::null_mut(),
    }
}

/// Gives back a block `alloc` handed out, when the handler that received it returns.
struct Block {
    ptr: *mut u8,
    size: usize,
}

impl Drop for Block {
    fn drop(&mut self) {
        if !self.ptr.is_null() && self.size > 0 {
            if let Some(layout) = block_layout(self.size) {
                unsafe { alloc::dealloc(self.ptr, layout) }
            }
        }
    }
}

fn code_of(result: Result<(), Status>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(s) if s.code() == 0 => Status::UNKNOWN.code(),
        Err(s) => s.code(),
    }
}

/// `parigot_start`: runs the service's start hook with a [`Start`](crate::Start).
pub fn start(hook: fn(&mut crate::Start) -> Result<(), Status>) -> i32 {
    install_panic_hook();
    code_of(hook(&mut crate::Start { _private: () }))
}

/// `parigot_ready`.
pub fn ready(hook: fn() -> Result<(), Status>) -> i32 {
    code_of(hook())
}

/// The ready hook of a service that has nothing to do at ready.
pub fn default_ready() -> Result<(), Status> {
    Ok(())
}

/// A panic is logged at ERROR (message and place) before the guest traps (panic = "abort").
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            String::from("(no message)")
        };
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        backend::log(Level::Error as i32, &format!("panicked{}: {}", place, msg));
    }));
}

/// # Safety
/// The pointers are those of one block `alloc` returned, as ABI v1 passes them.
pub unsafe fn on_call(
    call: i64,
    svc: *mut u8,
    svc_len: i32,
    method: *const u8,
    method_len: i32,
    payload: *const u8,
    payload_len: i32,
) {
    let _block = Block { ptr: svc, size: svc_len as usize + method_len as usize + payload_len as usize };
    let svc = std::slice::from_raw_parts(svc as *const u8, svc_len as usize);
    let method = std::slice::from_raw_parts(method, method_len as usize);
    let payload = if payload_len > 0 { std::slice::from_raw_parts(payload, payload_len as usize) } else { &[] };
    dispatch(call, svc, method, payload);
}

/// Routes an incoming call to its handler; UNIMPLEMENTED when there is none.
pub(crate) fn dispatch(call: i64, svc: &[u8], method: &[u8], payload: &[u8]) {
    let svc = String::from_utf8_lossy(svc);
    let method = String::from_utf8_lossy(method);
    let handler = with(|rt| rt.handlers.get(svc.as_ref()).and_then(|m| m.get(method.as_ref())).cloned());
    match handler {
        Some(h) => (h.borrow_mut())(call, payload),
        None => {
            backend::log(Level::Warn as i32, &format!("{}/{}: no such method here; answered UNIMPLEMENTED", svc, method));
            backend::reply(call, Status::UNIMPLEMENTED.code(), &[]);
        }
    }
}

/// # Safety
/// `payload` is a block `alloc` returned (or null with length 0), as ABI v1 passes it.
pub unsafe fn on_result(call: i64, status: i32, payload: *mut u8, payload_len: i32) {
    let _block = Block { ptr: payload, size: payload_len.max(0) as usize };
    let bytes = if payload_len > 0 && !payload.is_null() {
        std::slice::from_raw_parts(payload as *const u8, payload_len as usize)
    } else {
        &[]
    };
    deliver_result(call, Status::from_code(status), bytes);
}

/// Runs the callback of `call`; a result nobody waits for (a call_timeout that gave up, a
/// duplicate from the network) is dropped.
pub(crate) fn deliver_result(call: i64, status: Status, payload: &[u8]) {
    if let Some(pending) = with(|rt| rt.calls.remove(&call)) {
        if let Some(timer) = pending.deadline {
            with(|rt| rt.timers.remove(&timer));
            backend::timer_cancel(timer);
        }
        (pending.on_result)(status, payload);
    }
}

/// `parigot_on_timer`.
pub fn on_timer(timer: i64) {
    if let Some(f) = with(|rt| rt.timers.remove(&timer)) {
        f(TimerId(timer));
    }
}
