/*
 * Proves an AssemblyScript-style env.abort reports its message: abort(msg, file, line, column)
 * with msg and file as AssemblyScript strings (UTF-16LE, byte length in the u32 before them).
 * A call whose payload starts with '0' passes a null message; '?' a message pointer outside memory.
 */
/* parigot-build: no-sdk */
#include <parigot.h>

static const char service[] = "test.v1.AsAbort";

__attribute__((import_module("env"), import_name("abort"))) void as_abort(int32_t msg, int32_t file,
                                                                           int32_t line, int32_t column);

/* An AssemblyScript string: 4 header bytes holding the byte length, then UTF-16LE units. */
struct as_string {
    uint32_t bytes;
    uint16_t units[32];
};

static struct as_string message = {2 * 14, {'b', 'a', 'l', 'a', 'n', 'c', 'e', ' ', '<', ' ', '0', ' ', 0x20ac, '!'}};
static struct as_string file = {2 * 13, {'a', 's', 's', 'e', 'm', 'b', 'l', 'y', '/', 'a', '.', 't', 's'}};
static char block[256];

__attribute__((export_name("parigot_abi_v1"))) void parigot_abi_v1(void) {}

__attribute__((export_name("parigot_alloc"))) void *parigot_alloc(int32_t size) {
    return size <= (int32_t)sizeof block ? block : 0;
}

__attribute__((export_name("parigot_start"))) int32_t parigot_start(void) {
    return pg_abi_export_service(service, sizeof service - 1);
}

__attribute__((export_name("parigot_ready"))) int32_t parigot_ready(void) { return 0; }

__attribute__((export_name("parigot_on_call"))) void parigot_on_call(
    int64_t call, void *svc, int32_t svc_len, const void *method, int32_t method_len,
    const void *payload, int32_t payload_len) {
    (void)call, (void)svc, (void)svc_len, (void)method, (void)method_len;
    char c = payload_len > 0 ? ((const char *)payload)[0] : 0;
    int32_t msg = c == '0' ? 0 : c == '?' ? 0x7ffffff0 : (int32_t)(intptr_t)message.units;
    as_abort(msg, (int32_t)(intptr_t)file.units, 42, 7);
}

__attribute__((export_name("parigot_on_result"))) void parigot_on_result(
    int64_t call, int32_t status, void *payload, int32_t payload_len) {
    (void)call, (void)status, (void)payload, (void)payload_len;
}

__attribute__((export_name("parigot_on_timer"))) void parigot_on_timer(int64_t timer) {
    (void)timer;
}
