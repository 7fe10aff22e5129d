/*
 * inventory.v1.Inventory on generated messages and stubs (inventory.proto, bounded by
 * inventory.options). Reserve asks inventory.v1.Pricing for a quote, with a deadline of
 * 50 ms of virtual time, and takes the items when the quote arrives. List answers with the
 * items whose sku starts with a prefix: at most 8, the reply's max_count.
 */
#include "inventory.parigot.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_TIMEOUT_NS (50 * 1000 * 1000)
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static inventory_v1_Item stock[] = {
    {"apple", 5}, {"apricot", 2}, {"avocado", 1}, {"banana", 7}, {"cherry", 9},
    {"date", 4},  {"fig", 3},     {"grape", 6},   {"kiwi", 8},   {"plum", 0},
};

/* What a Reserve in flight must remember until its quote arrives. */
typedef struct {
    pg_call_id caller;
    inventory_v1_Item *item;
    int32_t quantity;
} reservation;

static inventory_v1_Item *find(const char *sku) {
    for (size_t i = 0; i < COUNT_OF(stock); i++) {
        if (strcmp(stock[i].sku, sku) == 0) return &stock[i];
    }
    return NULL;
}

static void quoted(void *ctx, int status, const inventory_v1_QuoteReply *quote) {
    reservation *r = ctx; /* ours to free: allocated in reserve */
    if (status != PG_OK) {
        pg_reply(r->caller, status, NULL, 0); /* e.g. PG_DEADLINE_EXCEEDED */
    } else if (r->item->count < r->quantity) { /* another Reserve took them meanwhile */
        pg_reply(r->caller, PG_FAILED_PRECONDITION, NULL, 0);
    } else {
        r->item->count -= r->quantity;
        inventory_v1_ReserveReply reply = {.remaining = r->item->count,
                                           .total_cents = quote->total_cents};
        snprintf(reply.note, sizeof reply.note, "%d x %s", (int)r->quantity, r->item->sku);
        inventory_v1_Inventory_Reserve_reply(r->caller, &reply);
    }
    free(r);
}

static void reserve(pg_call_id call, const inventory_v1_ReserveRequest *req) {
    inventory_v1_Item *item = find(req->sku);
    int status = req->quantity <= 0 ? PG_INVALID_ARGUMENT
                 : item == NULL     ? PG_NOT_FOUND
                 : item->count < req->quantity ? PG_FAILED_PRECONDITION
                                               : PG_OK;
    reservation *r = status == PG_OK ? malloc(sizeof *r) : NULL;
    if (status == PG_OK && r == NULL) status = PG_RESOURCE_EXHAUSTED;
    if (status != PG_OK) {
        pg_reply(call, status, NULL, 0);
        return;
    }
    *r = (reservation){.caller = call, .item = item, .quantity = req->quantity};
    inventory_v1_QuoteRequest quote = {.quantity = req->quantity};
    strcpy(quote.sku, req->sku); /* the same max_size bounds both */
    int64_t id = inventory_v1_Pricing_Quote_call_timeout(&quote, QUOTE_TIMEOUT_NS, quoted, r);
    if (id < 0) {
        pg_reply(call, (int)-id, NULL, 0);
        free(r);
    }
}

static void list(pg_call_id call, const inventory_v1_ListRequest *req) {
    inventory_v1_ListReply reply = inventory_v1_ListReply_init_zero;
    size_t prefix_len = strlen(req->prefix);
    for (size_t i = 0; i < COUNT_OF(stock) && reply.items_count < COUNT_OF(reply.items); i++) {
        if (strncmp(stock[i].sku, req->prefix, prefix_len) == 0) {
            reply.items[reply.items_count++] = stock[i];
        }
    }
    inventory_v1_Inventory_List_reply(call, &reply);
}

int service_start(void) {
    static const inventory_v1_Inventory_handlers handlers = {.Reserve = reserve, .List = list};
    int status = inventory_v1_Inventory_register(&handlers);
    if (status != PG_OK) return status;
    return inventory_v1_Pricing_require();
}
