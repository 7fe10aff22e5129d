//! Host tests of the SDK's bookkeeping against the in-process double of the imports
//! (`sys::host`). Each test runs on its own thread, so each has its own runtime and record.

use crate::host;
use crate::*;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Clone, PartialEq, prost::Message)]
struct Msg {
    #[prost(string, tag = "1")]
    text: String,
    #[prost(int64, tag = "2")]
    n: i64,
}

const SVC: &str = "test.v1.Svc";
const OTHER: &str = "test.v1.Other";

fn start_ok(s: &mut Start) -> Result<(), Status> {
    s.export(SVC)?;
    s.require(OTHER)?;
    s.handle(SVC, "Double", |req: Msg, reply: Reply<Msg>| {
        reply.ok(&Msg { text: req.text.clone(), n: req.n * 2 });
    })?;
    s.handle(SVC, "Later", |req: Msg, reply: Reply<Msg>| {
        // Answer from the callback of a call to another service.
        call(OTHER, "Get", &req, move |r: Result<Msg, Status>| match r {
            Ok(m) => {
                reply.ok(&Msg { text: format!("got {}", m.text), n: m.n });
            }
            Err(s) => {
                reply.fail(s, "other failed");
            }
        })
        .unwrap();
    })?;
    s.handle(SVC, "Drop", |_req: Msg, _reply: Reply<Msg>| {})
}

fn boot() {
    assert_eq!(rt::start(start_ok), 0);
}

fn dispatch(call: i64, method: &str, payload: &[u8]) {
    rt::dispatch(call, SVC.as_bytes(), method.as_bytes(), payload);
}

fn last_reply() -> (i64, i32, Vec<u8>) {
    host::with(|r| r.replies.last().cloned().expect("no reply"))
}

#[test]
fn start_declares_and_a_typed_handler_answers_with_the_encoded_reply() {
    boot();
    host::with(|r| {
        assert_eq!(r.exported, vec![SVC.to_string()]);
        assert_eq!(r.required, vec![OTHER.to_string()]);
    });
    dispatch(7, "Double", &Msg { text: "x".into(), n: 21 }.encode_to_vec());
    let (call, status, payload) = last_reply();
    assert_eq!((call, status), (7, 0));
    assert_eq!(Msg::decode(payload.as_slice()).unwrap(), Msg { text: "x".into(), n: 42 });
}

#[test]
fn unknown_methods_get_unimplemented_and_bad_requests_invalid_argument() {
    boot();
    dispatch(1, "Nope", &[]);
    assert_eq!(last_reply(), (1, 12, vec![]));
    dispatch(2, "Double", &[0xff, 0xff]); // a truncated varint tag
    assert_eq!(last_reply(), (2, 3, vec![]));
    host::with(|r| assert!(r.logs.iter().any(|(l, t)| *l == 3 && t.contains("does not decode")), "{:?}", r.logs));
}

#[test]
fn a_dropped_reply_answers_internal_and_logs_an_error() {
    boot();
    dispatch(3, "Drop", &[]);
    assert_eq!(last_reply(), (3, 13, vec![]));
    host::with(|r| assert!(r.logs.iter().any(|(l, t)| *l == 4 && t.contains("dropped without an answer"))));
}

#[test]
fn a_reply_can_wait_for_the_result_of_an_outgoing_call() {
    boot();
    dispatch(5, "Later", &Msg { text: "k".into(), n: 1 }.encode_to_vec());
    let (id, svc, method, payload) = host::with(|r| r.calls.last().cloned().unwrap());
    assert_eq!((svc.as_str(), method.as_str()), (OTHER, "Get"));
    assert_eq!(Msg::decode(payload.as_slice()).unwrap().text, "k");
    host::with(|r| assert!(r.replies.is_empty()));
    rt::deliver_result(id, Status::OK, &Msg { text: "v".into(), n: 9 }.encode_to_vec());
    let (call, status, payload) = last_reply();
    assert_eq!((call, status), (5, 0));
    assert_eq!(Msg::decode(payload.as_slice()).unwrap(), Msg { text: "got v".into(), n: 9 });
    assert_eq!(rt::pending(), (0, 0));
    // A second (duplicated) result is dropped.
    rt::deliver_result(id, Status::OK, &[]);
    host::with(|r| assert_eq!(r.replies.len(), 1));
}

#[test]
fn a_failed_result_reaches_the_callback_as_its_status() {
    boot();
    dispatch(5, "Later", &Msg::default().encode_to_vec());
    let id = host::with(|r| r.calls.last().unwrap().0);
    rt::deliver_result(id, Status::UNAVAILABLE, &[]);
    assert_eq!(last_reply(), (5, 14, vec![]));
}

#[test]
fn an_ok_reply_that_does_not_decode_is_internal() {
    boot();
    let got = Rc::new(RefCell::new(None));
    let g = got.clone();
    let id = call(OTHER, "Get", &Msg::default(), move |r: Result<Msg, Status>| *g.borrow_mut() = Some(r)).unwrap();
    rt::deliver_result(id, Status::OK, &[0x0a, 0x05, b'a']);
    assert_eq!(*got.borrow(), Some(Err(Status::INTERNAL)));
}

#[test]
fn calls_to_services_not_required_are_refused() {
    boot();
    let r = call_raw("test.v1.Unknown", "M", b"x", |_, _| panic!("never"));
    assert_eq!(r, Err(Status::FAILED_PRECONDITION));
    assert_eq!(rt::pending(), (0, 0));
}

#[test]
fn timers_fire_once_and_cancelled_ones_never() {
    boot();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let (f1, f2) = (fired.clone(), fired.clone());
    let a = set_timer(Duration::from_millis(5), move |t| f1.borrow_mut().push(t)).unwrap();
    let b = set_timer(Duration::from_millis(7), move |t| f2.borrow_mut().push(t)).unwrap();
    host::with(|r| assert_eq!(r.timers, vec![(a.0, 5_000_000), (b.0, 7_000_000)]));
    assert_eq!(cancel_timer(b), Ok(()));
    assert_eq!(cancel_timer(b), Err(Status::NOT_FOUND));
    rt::on_timer(a.0);
    rt::on_timer(a.0);
    rt::on_timer(b.0);
    assert_eq!(*fired.borrow(), vec![a]);
}

#[test]
fn call_timeout_gives_deadline_exceeded_once_and_drops_the_late_result() {
    boot();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    let id = call_timeout(OTHER, "Get", &Msg::default(), Duration::from_millis(50), move |r: Result<Msg, Status>| {
        g.borrow_mut().push(r)
    })
    .unwrap();
    let timer = host::with(|r| r.timers.last().unwrap().0);
    rt::on_timer(timer);
    rt::deliver_result(id, Status::OK, &[]);
    assert_eq!(*got.borrow(), vec![Err(Status::DEADLINE_EXCEEDED)]);
    assert_eq!(rt::pending(), (0, 0));
}

#[test]
fn call_timeout_cancels_its_timer_when_the_result_wins() {
    boot();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    let id = call_timeout(OTHER, "Get", &Msg::default(), Duration::from_millis(50), move |r: Result<Msg, Status>| {
        g.borrow_mut().push(r.map(|m| m.n))
    })
    .unwrap();
    let timer = host::with(|r| r.timers.last().unwrap().0);
    rt::deliver_result(id, Status::OK, &Msg { text: String::new(), n: 3 }.encode_to_vec());
    host::with(|r| assert_eq!(r.cancelled, vec![timer]));
    rt::on_timer(timer); // even if it fired anyway, nothing runs
    assert_eq!(*got.borrow(), vec![Ok(3)]);
    assert!(call_timeout(OTHER, "Get", &Msg::default(), Duration::from_secs(u64::MAX), |_: Result<Msg, Status>| ())
        .is_err());
}

#[test]
fn a_start_hook_error_is_its_status_code_and_handle_needs_an_export() {
    fn bad(s: &mut Start) -> Result<(), Status> {
        s.handle(SVC, "M", |_: Msg, r: Reply<Msg>| {
            r.ok(&Msg::default());
        })
    }
    assert_eq!(rt::start(bad), 9);
    fn twice(s: &mut Start) -> Result<(), Status> {
        s.export("a.B")?;
        s.export("a.B")
    }
    assert_eq!(rt::start(twice), 6);
    fn err_ok(_: &mut Start) -> Result<(), Status> {
        Err(Status::OK)
    }
    assert_eq!(rt::start(err_ok), 2);
}

#[test]
fn storage_requests_encode_as_the_storage_proto_says() {
    fn s(st: &mut Start) -> Result<(), Status> {
        st.require(storage::SERVICE)
    }
    rt::start(s);
    let got = Rc::new(RefCell::new(Vec::new()));
    let (g1, g2, g3) = (got.clone(), got.clone(), got.clone());
    let w = storage::write("k", b"v1", move |r| g1.borrow_mut().push(format!("{:?}", r))).unwrap();
    let r = storage::read("k", move |r| g2.borrow_mut().push(format!("{:?}", r))).unwrap();
    let y = storage::sync(move |r| g3.borrow_mut().push(format!("{:?}", r))).unwrap();
    host::with(|rec| {
        let c: Vec<_> = rec.calls.iter().map(|(_, s, m, p)| (s.as_str(), m.as_str(), p.clone())).collect();
        assert_eq!(
            c,
            vec![
                (storage::SERVICE, "Write", vec![0x0a, 1, b'k', 0x12, 2, b'v', b'1']),
                (storage::SERVICE, "Read", vec![0x0a, 1, b'k']),
                (storage::SERVICE, "Sync", vec![]),
            ]
        );
    });
    rt::deliver_result(w, Status::OK, &[]);
    rt::deliver_result(r, Status::OK, &[0x08, 1, 0x12, 2, b'v', b'1']);
    rt::deliver_result(y, Status::UNAVAILABLE, &[]);
    assert_eq!(*got.borrow(), vec!["Ok(())", "Ok(Some([118, 49]))", "Err(UNAVAILABLE (14))"]);
}

#[test]
fn alloc_returns_writable_blocks_that_on_call_frees() {
    boot();
    let msg = Msg { text: "hi".into(), n: 2 }.encode_to_vec();
    let bytes: Vec<u8> = [SVC.as_bytes(), b"Double", &msg].concat();
    let p = rt::alloc(bytes.len() as i32);
    assert!(!p.is_null());
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
        let m = p.add(SVC.len());
        rt::on_call(9, p, SVC.len() as i32, m, 6, m.add(6), msg.len() as i32);
    }
    assert_eq!(last_reply().1, 0);
    host::with(|r| assert!(r.logs.is_empty(), "alloc and dispatch logged {:?}", r.logs));
}

#[test]
fn log_buggify_asserts_and_exit_reach_their_imports() {
    crate::log!(Level::Info, "n={}", 3);
    host::with(|r| r.buggify_answer = true);
    assert!(buggify("site.a"));
    assert_always(false, "always");
    assert_sometimes(true, "sometimes");
    assert_reachable("here");
    assert_unreachable("never");
    exit(4);
    host::with(|r| {
        assert_eq!(r.logs, vec![(2, "n=3".to_string())]);
        assert_eq!(r.buggify_sites, vec!["site.a".to_string()]);
        assert_eq!(
            r.asserts,
            vec![
                (0, false, "always".to_string()),
                (1, true, "sometimes".to_string()),
                (2, true, "here".to_string()),
                (3, false, "never".to_string())
            ]
        );
        assert_eq!(r.exits, vec![4]);
    });
    assert_eq!(Status::from_code(5).to_string(), "NOT_FOUND (5)");
}
