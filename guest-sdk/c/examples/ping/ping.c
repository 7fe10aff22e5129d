/*
 * example.v1.Ping on generated messages and stubs: answers n + 1 and the same text. The same
 * service is written with the Rust and AssemblyScript SDKs (their examples/ping); the
 * benchmark SdkCallOverhead compares what each SDK adds to one typed call.
 */
#include "ping.parigot.h"
#include <string.h>

static void ping(pg_call_id call, const example_v1_PingRequest *req) {
    example_v1_PingReply reply = example_v1_PingReply_init_zero;
    reply.n = req->n + 1;
    strcpy(reply.text, req->text); /* the same max_size bounds both */
    example_v1_Ping_Ping_reply(call, &reply);
}

int service_start(void) {
    static const example_v1_Ping_handlers handlers = {.Ping = ping};
    return example_v1_Ping_register(&handlers);
}
