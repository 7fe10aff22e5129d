//! The node's durable storage, `parigot.storage.v1.Storage`
//! (sim-kernel/src/main/proto/parigot/storage/v1/storage.proto), with typed results.
//!
//! Each node has its own disk. [`write`] and [`delete`] are buffered: a [`read`] of the same
//! node sees them at once, but they are durable only once a later [`sync`] has answered OK; a
//! crash loses, keeps or tears each write not yet synced, as the seed decides. So acknowledge
//! nothing to your caller as durable before the sync that follows it has completed.
//!
//! Require [`SERVICE`] in the start hook. Every function is a [`call`](crate::call): it returns
//! the call id or `Err` (FAILED_PRECONDITION when not required), and `done` runs once with the
//! result. The calls stay on the node (the network neither drops nor delays them); with
//! storage faults on they may still fail (UNAVAILABLE) or a read may return corrupted bytes.

use crate::{call, CallId, Status};

/// The storage service's name.
pub const SERVICE: &str = "parigot.storage.v1.Storage";

/// `WriteRequest{1: string key, 2: bytes value}`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WriteRequest {
    #[prost(string, tag = "1")]
    pub key: String,
    #[prost(bytes = "vec", tag = "2")]
    pub value: Vec<u8>,
}

/// `WriteReply{}`, `SyncReply{}`, `DeleteReply{}`, `SyncRequest{}`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

/// `ReadRequest{1: string key}` and `DeleteRequest{1: string key}`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct KeyRequest {
    #[prost(string, tag = "1")]
    pub key: String,
}

/// `ReadReply{1: bool found, 2: bytes value}`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ReadReply {
    #[prost(bool, tag = "1")]
    pub found: bool,
    #[prost(bytes = "vec", tag = "2")]
    pub value: Vec<u8>,
}

/// Buffers `value` under `key` (durable after a later [`sync`]).
pub fn write<F>(key: &str, value: &[u8], done: F) -> Result<CallId, Status>
where
    F: FnOnce(Result<(), Status>) + 'static,
{
    let request = WriteRequest { key: key.to_string(), value: value.to_vec() };
    call(SERVICE, "Write", &request, move |r: Result<Empty, Status>| done(r.map(|_| ())))
}

/// Reads `key`: `Ok(Some(value))`, or `Ok(None)` when there is no such key. Sees this node's
/// unsynced writes and deletes.
pub fn read<F>(key: &str, done: F) -> Result<CallId, Status>
where
    F: FnOnce(Result<Option<Vec<u8>>, Status>) + 'static,
{
    let request = KeyRequest { key: key.to_string() };
    call(SERVICE, "Read", &request, move |r: Result<ReadReply, Status>| {
        done(r.map(|reply| if reply.found { Some(reply.value) } else { None }))
    })
}

/// Makes every earlier write and delete of this node durable once it answers OK.
pub fn sync<F>(done: F) -> Result<CallId, Status>
where
    F: FnOnce(Result<(), Status>) + 'static,
{
    call(SERVICE, "Sync", &Empty {}, move |r: Result<Empty, Status>| done(r.map(|_| ())))
}

/// Buffers the removal of `key` (durable after a later [`sync`]).
pub fn delete<F>(key: &str, done: F) -> Result<CallId, Status>
where
    F: FnOnce(Result<(), Status>) + 'static,
{
    let request = KeyRequest { key: key.to_string() };
    call(SERVICE, "Delete", &request, move |r: Result<Empty, Status>| done(r.map(|_| ())))
}
