//! `parigot-guest`: write Parigot Sim services (ABI v1, `wasm32-wasi`) in Rust, with typed
//! [prost](https://docs.rs/prost/0.11) messages.
//!
//! A service is a `cdylib` that calls [`export_abi!`] once with its start hook (and optionally
//! a ready hook). The start hook declares what the node serves and calls, and registers one
//! handler per (service, method):
//!
//! ```ignore
//! fn start(s: &mut parigot_guest::Start) -> Result<(), parigot_guest::Status> {
//!     s.export("example.v1.Counter")?;
//!     s.require(parigot_guest::storage::SERVICE)?;
//!     s.handle("example.v1.Counter", "Get", get) // fn get(req: GetRequest, reply: Reply<GetReply>)
//! }
//! parigot_guest::export_abi!(start);
//! ```
//!
//! Everything here is non-blocking, as ABI v1 is: [`call`] returns at once and its closure runs
//! later with the result, [`set_timer`]'s closure runs when the timer fires. The kernel delivers
//! one event at a time on one thread, so closures need not be `Send` and may share state through
//! `Rc<RefCell<_>>` or a `thread_local!`.
//!
//! See guest-sdk/rust/README.md for a complete service and how to build and test it.

use prost::Message;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

mod rt;
pub mod storage;
mod sys;

#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub use sys::host;

/// A gRPC canonical status code, as ABI v1 uses them (docs/abi.md, "Statuses").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Status(i32);

impl Status {
    pub const OK: Status = Status(0);
    pub const CANCELLED: Status = Status(1);
    pub const UNKNOWN: Status = Status(2);
    pub const INVALID_ARGUMENT: Status = Status(3);
    pub const DEADLINE_EXCEEDED: Status = Status(4);
    pub const NOT_FOUND: Status = Status(5);
    pub const ALREADY_EXISTS: Status = Status(6);
    pub const PERMISSION_DENIED: Status = Status(7);
    pub const RESOURCE_EXHAUSTED: Status = Status(8);
    pub const FAILED_PRECONDITION: Status = Status(9);
    pub const ABORTED: Status = Status(10);
    pub const OUT_OF_RANGE: Status = Status(11);
    pub const UNIMPLEMENTED: Status = Status(12);
    pub const INTERNAL: Status = Status(13);
    pub const UNAVAILABLE: Status = Status(14);
    pub const DATA_LOSS: Status = Status(15);
    pub const UNAUTHENTICATED: Status = Status(16);

    /// The status with this code (codes outside 0..16 are kept as they are).
    pub const fn from_code(code: i32) -> Status {
        Status(code)
    }

    pub const fn code(self) -> i32 {
        self.0
    }

    pub const fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// `Ok(())` for OK, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<(), Status> {
        if self.is_ok() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// The canonical name (`NOT_FOUND`), or `STATUS_<code>` outside 0..16.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 17] = [
            "OK",
            "CANCELLED",
            "UNKNOWN",
            "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED",
            "NOT_FOUND",
            "ALREADY_EXISTS",
            "PERMISSION_DENIED",
            "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION",
            "ABORTED",
            "OUT_OF_RANGE",
            "UNIMPLEMENTED",
            "INTERNAL",
            "UNAVAILABLE",
            "DATA_LOSS",
            "UNAUTHENTICATED",
        ];
        if (0..=16).contains(&self.0) {
            NAMES[self.0 as usize]
        } else {
            "STATUS_OUT_OF_RANGE"
        }
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for Status {}

/// Levels of the unified log.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(i32)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

/// The id of an outgoing call, as the kernel assigned it (positive, unique in the world).
pub type CallId = i64;

/// The id of a timer, as [`set_timer`] returned it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct TimerId(pub i64);

// ---- boot ---------------------------------------------------------------------------------

/// What the start hook may do: declare exports and requirements, register handlers, log.
/// Only the start hook gets one (ABI v1 allows these imports only in `parigot_start`).
pub struct Start {
    _private: (),
}

impl Start {
    /// This node serves `service` (a fully qualified protobuf service name).
    /// `Err(ALREADY_EXISTS)` if exported twice, `Err(INVALID_ARGUMENT)` for a bad name.
    pub fn export(&mut self, service: &str) -> Result<(), Status> {
        Status::from_code(sys::backend::export_service(service)).into_result()?;
        rt::note_export(service);
        Ok(())
    }

    /// This node calls `service`; it may call only services it required. Boot waits for them.
    pub fn require(&mut self, service: &str) -> Result<(), Status> {
        Status::from_code(sys::backend::require_service(service)).into_result()
    }

    /// Routes calls of `service`/`method` to `handler`, which gets the decoded request and a
    /// [`Reply`] to answer with (now, or later from a callback). A request that does not
    /// decode is answered INVALID_ARGUMENT (and logged) without running the handler; calls
    /// to a method with no handler are answered UNIMPLEMENTED.
    ///
    /// `Err(FAILED_PRECONDITION)` if `service` was not exported by this start hook first,
    /// `Err(ALREADY_EXISTS)` if the pair already has a handler.
    pub fn handle<Q, R, F>(&mut self, service: &str, method: &str, mut handler: F) -> Result<(), Status>
    where
        Q: Message + Default + 'static,
        R: Message + 'static,
        F: FnMut(Q, Reply<R>) + 'static,
    {
        if !rt::is_exported(service) {
            log(Level::Error, &format!("handle({}, {}): export the service first", service, method));
            return Err(Status::FAILED_PRECONDITION);
        }
        let name = format!("{}/{}", service, method);
        let dispatch = move |call: i64, payload: &[u8]| {
            let reply = Reply::<R>::new(call);
            match Q::decode(payload) {
                Ok(request) => handler(request, reply),
                Err(e) => {
                    reply.fail(Status::INVALID_ARGUMENT, &format!("{}: the request does not decode: {}", name, e));
                }
            }
        };
        let handler: rt::Handler = std::rc::Rc::new(std::cell::RefCell::new(dispatch));
        if rt::add_handler(service, method, handler) {
            Ok(())
        } else {
            Err(Status::ALREADY_EXISTS)
        }
    }

    /// Logs during start (the only import besides export and require allowed here).
    pub fn log(&mut self, level: Level, text: &str) {
        log(level, text);
    }
}

/// Defines the ABI v1 exports of the service (`parigot_abi_v1`, `parigot_alloc`,
/// `parigot_start`, `parigot_ready`, `parigot_on_call`, `parigot_on_result`,
/// `parigot_on_timer`). Use it once, at the crate's top level:
///
/// - `export_abi!(start)`: `start: fn(&mut Start) -> Result<(), Status>` runs at boot.
/// - `export_abi!(start, ready)`: also `ready: fn() -> Result<(), Status>`, which runs once
///   every required service is ready (it may call, set timers, log; virtual time is 0).
///
/// An `Err` from either fails boot with its status code.
#[macro_export]
macro_rules! export_abi {
    ($start:path) => {
        $crate::export_abi!($start, $crate::__abi::default_ready);
    };
    ($start:path, $ready:path) => {
        #[no_mangle]
        pub extern "C" fn parigot_abi_v1() {}

        #[no_mangle]
        pub extern "C" fn parigot_alloc(size: i32) -> *mut u8 {
            $crate::__abi::alloc(size)
        }

        #[no_mangle]
        pub extern "C" fn parigot_start() -> i32 {
            $crate::__abi::start($start)
        }

        #[no_mangle]
        pub extern "C" fn parigot_ready() -> i32 {
            $crate::__abi::ready($ready)
        }

        /// # Safety
        /// Called by the kernel only, with a block from `parigot_alloc`.
        #[no_mangle]
        pub unsafe extern "C" fn parigot_on_call(
            call: i64,
            svc: *mut u8,
            svc_len: i32,
            method: *const u8,
            method_len: i32,
            payload: *const u8,
            payload_len: i32,
        ) {
            $crate::__abi::on_call(call, svc, svc_len, method, method_len, payload, payload_len)
        }

        /// # Safety
        /// Called by the kernel only, with a block from `parigot_alloc` (or null, 0).
        #[no_mangle]
        pub unsafe extern "C" fn parigot_on_result(call: i64, status: i32, payload: *mut u8, payload_len: i32) {
            $crate::__abi::on_result(call, status, payload, payload_len)
        }

        #[no_mangle]
        pub extern "C" fn parigot_on_timer(timer: i64) {
            $crate::__abi::on_timer(timer)
        }
    };
}

/// What [`export_abi!`] expands to call. Not part of the API.
#[doc(hidden)]
pub mod __abi {
    pub use crate::rt::{alloc, default_ready, on_call, on_result, on_timer, ready, start};
}

// ---- answering calls ----------------------------------------------------------------------

/// The answer to one incoming call: send it exactly once, now or from a later callback (it is
/// `'static`: move it into the closure of a call or a timer).
///
/// Dropping a `Reply` without answering answers INTERNAL and logs an ERROR, since nothing
/// could answer that call any more and its caller would wait forever.
#[must_use = "a call must be answered: use ok(), fail() or raw()"]
pub struct Reply<R> {
    call: i64,
    answered: bool,
    _reply: PhantomData<fn(&R)>,
}

impl<R: Message> Reply<R> {
    fn new(call: i64) -> Self {
        Reply { call, answered: false, _reply: PhantomData }
    }

    /// The incoming call's id.
    pub fn id(&self) -> i64 {
        self.call
    }

    /// Answers OK with `reply`, protobuf-encoded. Returns the kernel's status for the reply.
    pub fn ok(self, reply: &R) -> Status {
        let bytes = reply.encode_to_vec();
        self.raw(Status::OK, &bytes)
    }

    /// Answers `status` (not OK) with no payload, as ABI v1's convention says, and logs
    /// `detail` at WARN with the call id and status, so that the reason is in the world log.
    pub fn fail(self, status: Status, detail: &str) -> Status {
        log(Level::Warn, &format!("call {} answered {}: {}", self.call, status, detail));
        self.raw(status, &[])
    }

    /// Answers with any status and raw bytes.
    pub fn raw(mut self, status: Status, payload: &[u8]) -> Status {
        self.answered = true;
        if payload.len() > i32::MAX as usize {
            return Status::INVALID_ARGUMENT;
        }
        Status::from_code(sys::backend::reply(self.call, status.code(), payload))
    }
}

impl<R> Drop for Reply<R> {
    fn drop(&mut self) {
        if !self.answered {
            sys::backend::log(
                Level::Error as i32,
                &format!("call {} was dropped without an answer; answered INTERNAL", self.call),
            );
            sys::backend::reply(self.call, Status::INTERNAL.code(), &[]);
        }
    }
}

// ---- calls ----------------------------------------------------------------------------------

/// Calls `service`/`method` with `request`; `on_result` runs once, in a later event, with the
/// decoded reply or the status (the callee's, the kernel's UNAVAILABLE when the callee exited,
/// or INTERNAL with a logged reason when an OK reply does not decode as `R`).
///
/// Returns the call id, or `Err`: FAILED_PRECONDITION if `service` was not required,
/// NOT_FOUND if nobody exports it, INVALID_ARGUMENT for an oversized request.
pub fn call<Q, R, F>(service: &str, method: &str, request: &Q, on_result: F) -> Result<CallId, Status>
where
    Q: Message,
    R: Message + Default + 'static,
    F: FnOnce(Result<R, Status>) + 'static,
{
    rt::send(service, method, &request.encode_to_vec(), None, typed(service, method, on_result))
}

/// [`call`] with a deadline: a timer of `timeout` races the result. If the timer wins,
/// `on_result` gets `Err(DEADLINE_EXCEEDED)` and a late result is dropped; if the result wins,
/// the timer is cancelled. `on_result` runs exactly once.
pub fn call_timeout<Q, R, F>(
    service: &str,
    method: &str,
    request: &Q,
    timeout: Duration,
    on_result: F,
) -> Result<CallId, Status>
where
    Q: Message,
    R: Message + Default + 'static,
    F: FnOnce(Result<R, Status>) + 'static,
{
    let ns = duration_ns(timeout)?;
    rt::send(service, method, &request.encode_to_vec(), Some(ns), typed(service, method, on_result))
}

/// [`call`] with raw bytes both ways: `on_result(status, payload)`; the payload is valid only
/// during the callback.
pub fn call_raw<F>(service: &str, method: &str, payload: &[u8], on_result: F) -> Result<CallId, Status>
where
    F: FnOnce(Status, &[u8]) + 'static,
{
    rt::send(service, method, payload, None, Box::new(on_result))
}

fn typed<R, F>(service: &str, method: &str, on_result: F) -> rt::ResultFn
where
    R: Message + Default + 'static,
    F: FnOnce(Result<R, Status>) + 'static,
{
    let name = format!("{}/{}", service, method);
    Box::new(move |status: Status, payload: &[u8]| {
        if !status.is_ok() {
            return on_result(Err(status));
        }
        match R::decode(payload) {
            Ok(reply) => on_result(Ok(reply)),
            Err(e) => {
                log(Level::Error, &format!("the reply of {} does not decode: {}", name, e));
                on_result(Err(Status::INTERNAL))
            }
        }
    })
}

fn duration_ns(d: Duration) -> Result<i64, Status> {
    i64::try_from(d.as_nanos()).map_err(|_| Status::INVALID_ARGUMENT)
}

// ---- time, randomness -----------------------------------------------------------------------

/// Runs `on_fire` once after `delay` of virtual time. Returns the timer's id.
pub fn set_timer<F>(delay: Duration, on_fire: F) -> Result<TimerId, Status>
where
    F: FnOnce(TimerId) + 'static,
{
    let ns = duration_ns(delay)?;
    rt::set_timer(ns, Box::new(on_fire)).map(TimerId)
}

/// Cancels a pending timer: its closure never runs. `Err(NOT_FOUND)` if it already fired,
/// was cancelled, or is unknown.
pub fn cancel_timer(timer: TimerId) -> Result<(), Status> {
    rt::cancel_timer(timer.0).into_result()
}

/// Virtual time in nanoseconds since the world began (constant during one handler).
pub fn now_ns() -> i64 {
    sys::backend::now_ns()
}

/// Virtual time since the world began.
pub fn now() -> Duration {
    Duration::from_nanos(now_ns().max(0) as u64)
}

/// Fills `buf` with bytes from the world's seeded stream.
pub fn random_bytes(buf: &mut [u8]) {
    sys::backend::random_bytes(buf)
}

/// A seeded random `u64`.
pub fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    random_bytes(&mut b);
    u64::from_le_bytes(b)
}

// ---- log, lifecycle, testing aids -----------------------------------------------------------

/// One line into the world's unified log.
pub fn log(level: Level, text: &str) {
    sys::backend::log(level as i32, text)
}

/// `log!(Level::Info, "added {} to {}", delta, name)`: [`log`] with `format!` arguments.
#[macro_export]
macro_rules! log {
    ($level:expr, $($arg:tt)+) => {
        $crate::log($level, &::std::format!($($arg)+))
    };
}

/// Stops this node when the current handler returns (this function returns). A non-zero code
/// fails the world unless the test expects it.
pub fn exit(code: i32) {
    sys::backend::exit(code)
}

/// True: take the rare path at `site` now (FoundationDB's BUGGIFY). Always false outside
/// simulation and with BUGGIFY off in the world's faults.
pub fn buggify(site: &str) -> bool {
    sys::backend::buggify(site) == 1
}

/// `cond` holds every time: false fails the world with `msg`.
pub fn assert_always(cond: bool, msg: &str) {
    sys::backend::assert(0, cond, msg)
}

/// `cond` holds at least once over a test's seeds (a coverage gap is reported otherwise).
pub fn assert_sometimes(cond: bool, msg: &str) {
    sys::backend::assert(1, cond, msg)
}

/// This point is reached at least once over a test's seeds.
pub fn assert_reachable(msg: &str) {
    sys::backend::assert(2, true, msg)
}

/// This point is never reached: reaching it fails the world with `msg`.
pub fn assert_unreachable(msg: &str) {
    sys::backend::assert(3, false, msg)
}

#[cfg(test)]
mod tests;
