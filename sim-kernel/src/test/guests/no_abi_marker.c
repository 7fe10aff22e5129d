/* Proves the kernel refuses a complete service that lacks the `parigot_abi_v1` marker. */
/* parigot-build: no-sdk */
#include <parigot.h>
#include <stdlib.h>

static const char service[] = "test.v1.NoMarker";

__attribute__((export_name("parigot_alloc"))) void *parigot_alloc(int32_t size) {
    return malloc((size_t)size);
}

__attribute__((export_name("parigot_start"))) int32_t parigot_start(void) {
    return pg_abi_export_service(service, sizeof service - 1);
}

__attribute__((export_name("parigot_ready"))) int32_t parigot_ready(void) { return 0; }

__attribute__((export_name("parigot_on_call"))) void parigot_on_call(
    int64_t call, void *svc, int32_t svc_len, const void *method, int32_t method_len,
    const void *payload, int32_t payload_len) {
    (void)svc_len, (void)method, (void)method_len;
    pg_abi_reply(call, PG_OK, payload, payload_len);
    free(svc);
}

__attribute__((export_name("parigot_on_result"))) void parigot_on_result(
    int64_t call, int32_t status, void *payload, int32_t payload_len) {
    (void)call, (void)status, (void)payload_len;
    free(payload);
}

__attribute__((export_name("parigot_on_timer"))) void parigot_on_timer(int64_t timer) {
    (void)timer;
}
