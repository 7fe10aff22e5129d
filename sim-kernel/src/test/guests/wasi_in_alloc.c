/*
 * Proves WASI may be called inside parigot_alloc, as Rust's std does on entry to every export:
 * this alloc asks the environment's size and the clock before it mallocs. A call whose payload
 * starts with 'x' makes the next alloc call proc_exit instead, which alloc may not do.
 */
/* parigot-build: no-sdk */
#include <parigot.h>
#include <stdlib.h>
#include <wasi/api.h>

static const char service[] = "test.v1.WasiInAlloc";
static int exit_in_alloc;

__attribute__((export_name("parigot_abi_v1"))) void parigot_abi_v1(void) {}

__attribute__((export_name("parigot_alloc"))) void *parigot_alloc(int32_t size) {
    __wasi_size_t count = 0, bytes = 0;
    __wasi_timestamp_t now = 0;
    if (__wasi_environ_sizes_get(&count, &bytes) != 0 || count == 0) return 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now) != 0) return 0;
    if (exit_in_alloc) __wasi_proc_exit(3);
    return malloc((size_t)size);
}

__attribute__((export_name("parigot_start"))) int32_t parigot_start(void) {
    return pg_abi_export_service(service, sizeof service - 1);
}

__attribute__((export_name("parigot_ready"))) int32_t parigot_ready(void) { return 0; }

/* Echoes the payload; 'x' arms proc_exit for the next alloc. */
__attribute__((export_name("parigot_on_call"))) void parigot_on_call(
    int64_t call, void *svc, int32_t svc_len, const void *method, int32_t method_len,
    const void *payload, int32_t payload_len) {
    (void)method, (void)method_len;
    if (payload_len > 0 && ((const char *)payload)[0] == 'x') exit_in_alloc = 1;
    pg_abi_reply(call, PG_OK, payload, payload_len);
    free(svc);
    (void)svc_len;
}

__attribute__((export_name("parigot_on_result"))) void parigot_on_result(
    int64_t call, int32_t status, void *payload, int32_t payload_len) {
    (void)call, (void)status, (void)payload_len;
    free(payload);
}

__attribute__((export_name("parigot_on_timer"))) void parigot_on_timer(int64_t timer) {
    (void)timer;
}
