// Parigot Sim's AssemblyScript SDK (ABI v1): the surface a service uses.
//   import * as pg from "<sdk>/assembly/parigot";
// See guest-sdk/assemblyscript/README.md for a complete service and the memory rules.
export {
  Status, Level, CALLS_PENDING_MAX, TIMERS_PENDING_MAX, HANDLERS_MAX, LOG_BYTES_MAX, NO_TIMEOUT,
  encode, decode, onStart, onReady, exportService, requireService,
  Call, handle, handleRaw, reply, replyRaw, replyStatus,
  call, callRaw, send,
  timer, timerCancel, nowNs, randomFill, randomBytes,
  log, trace, debug, info, warn, error, exit, buggify,
  assertAlways, assertSometimes, assertReachable, assertUnreachable,
} from "./runtime";
export {
  STORAGE, storageWrite, storageRead, storageSync, storageDelete,
} from "./storage";
