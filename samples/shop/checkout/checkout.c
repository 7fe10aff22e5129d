/*
 * shop.v1.Checkout of the record shop (samples/src/main/proto/shop/v1/checkout.proto), on
 * nanopb messages and the C SDK's generated stubs. Checkout(order):
 *
 *   fixed (checkout.wasm):        Catalog.Get (price) -> Inventory.Reserve (atomic)
 *                                 -> Payments.Charge -> Orders.Place -> Shipping.Ship
 *                                 -> reply with the order id
 *   buggy (checkout_buggy.wasm,   Inventory.Stock -> Catalog.Get (price)
 *          -DSHOP_CHECKOUT_BUGGY) -> Inventory.SetStock(stock - quantity) -> Payments.Charge
 *                                 -> Orders.Place -> Shipping.Ship -> reply
 *
 * The buggy order reads the stock, makes another call, then writes back what it read minus
 * its quantity: two orders for the last copy can both read 1, both write 0 and both be
 * charged. The fixed one lets the Inventory take the copies in one step (Reserve), and gives
 * them back (Release) when the charge fails.
 *
 * Order ids are "vv-" and 12 hex digits drawn from the node's random stream (the world's seed
 * in simulation): a counter would start again at 1 after a crash and reuse ids.
 *
 * The charge has a deadline, and an attempt that misses it (DEADLINE_EXCEEDED) is retried
 * once. The fixed checkout sends every attempt of one order with the same idempotency key
 * (the order id), so a provider that did receive the first attempt, only too late to answer
 * in time, charges once. The second planted bug (checkout_retry_buggy.wasm,
 * -DSHOP_PAYMENT_BUGGY) makes a new key per attempt (order id + "/" + attempt number): a
 * first Charge that reached the provider but whose reply was slow or lost is charged again.
 *
 * Once paid, the order is recorded with the Orders (any replica; Place is idempotent, so a
 * Place that missed its deadline is sent again, up to three attempts) and the customer hears
 * of it only when a replica said it is durable. Then the Shipping provider ships it (also
 * idempotent per order id, up to three attempts); if it cannot be reached the order stands and
 * the reply has no tracking id.
 */
#include "catalog.parigot.h"
#include "checkout.parigot.h"
#include "inventory.parigot.h"
#include "orders.parigot.h"
#include "payments.parigot.h"
#include "shipping.parigot.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_TIMEOUT_NS (100 * 1000 * 1000) /* 100 ms of virtual time per downstream call */
#define ATTEMPTS_MAX 3                      /* of Place and of Ship */

/* What one order in flight remembers until its last call answers. */
typedef struct {
    pg_call_id caller;
    shop_v1_OrderRequest order;
    int64_t total_cents;
    int32_t stock_seen; /* buggy only: the stock read before the price */
    int attempt;        /* of the charge: 1, then 2 after a missed deadline */
    int place_attempt;  /* of Orders.Place */
    int ship_attempt;   /* of Shipping.Ship */
    char order_id[32];
    char charge_id[32];
} order;

/* Answers the caller with `status` (no payload) and frees the order. */
static void fail(order *o, int status, const char *why) {
    pg_log(PG_LOG_INFO, "order of %s for %s: %s (status %d)", o->order.sku, o->order.customer, why,
           status);
    pg_reply(o->caller, status, NULL, 0);
    free(o);
}

/* A call that could not be sent fails the order at once. */
static void sent(order *o, int64_t id, const char *what) {
    if (id < 0) fail(o, (int)-id, what);
}

static void released(void *ctx, int status, const shop_v1_StockReply *reply) {
    (void)ctx, (void)reply;
    if (status != PG_OK) pg_log(PG_LOG_WARN, "release failed with status %d", status);
}

static void send_charge(order *o);

static void send_place(order *o);

static void charged(void *ctx, int status, const shop_v1_ChargeReply *charge) {
    order *o = ctx;
    if (status == PG_DEADLINE_EXCEEDED && o->attempt < 2) {
        pg_log(PG_LOG_WARN, "order %s: charge attempt %d missed its deadline, retrying", o->order_id,
               o->attempt);
        send_charge(o);
        return;
    }
    if (status != PG_OK) {
#ifndef SHOP_CHECKOUT_BUGGY
        shop_v1_ReleaseRequest release = {.quantity = o->order.quantity};
        strcpy(release.sku, o->order.sku);
        shop_v1_Inventory_Release_call_timeout(&release, CALL_TIMEOUT_NS, released, NULL);
#else
        (void)released;
#endif
        fail(o, status, "payment declined");
        return;
    }
    snprintf(o->charge_id, sizeof o->charge_id, "%s", charge->charge_id);
    send_place(o);
}

/* Answers the customer: the order is placed (and shipped, if tracking_id is not empty). */
static void placed_reply(order *o, const char *tracking_id) {
    shop_v1_OrderReply reply = {.total_cents = o->total_cents};
    strcpy(reply.order_id, o->order_id);
    strcpy(reply.charge_id, o->charge_id);
    snprintf(reply.tracking_id, sizeof reply.tracking_id, "%s", tracking_id);
    pg_log(PG_LOG_INFO, "order %s: %d x %s for %s, %lld cents", o->order_id, (int)o->order.quantity,
           o->order.sku, o->order.customer, (long long)o->total_cents);
    shop_v1_Checkout_Checkout_reply(o->caller, &reply);
    free(o);
}

static void send_ship(order *o);

static void shipped(void *ctx, int status, const shop_v1_ShipReply *reply) {
    order *o = ctx;
    if ((status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) && o->ship_attempt < ATTEMPTS_MAX) {
        send_ship(o);
        return;
    }
    if (status != PG_OK) {
        pg_log(PG_LOG_WARN, "order %s: shipping failed with status %d; the order stands", o->order_id, status);
        placed_reply(o, "");
        return;
    }
    placed_reply(o, reply->tracking_id);
}

/* One attempt of the shipment (idempotent per order id at the provider). */
static void send_ship(order *o) {
    o->ship_attempt++;
    shop_v1_ShipRequest request = {.quantity = o->order.quantity};
    strcpy(request.order_id, o->order_id);
    strcpy(request.customer, o->order.customer);
    strcpy(request.sku, o->order.sku);
    int64_t id = shop_v1_Shipping_Ship_call_timeout(&request, CALL_TIMEOUT_NS, shipped, o);
    if (id < 0) placed_reply(o, "");
}


static void order_placed(void *ctx, int status, const shop_v1_PlaceReply *reply) {
    order *o = ctx;
    if ((status == PG_DEADLINE_EXCEEDED || status == PG_UNAVAILABLE) && o->place_attempt < ATTEMPTS_MAX) {
        pg_log(PG_LOG_WARN, "order %s: Place attempt %d failed with status %d, again", o->order_id,
               o->place_attempt, status);
        send_place(o);
        return;
    }
    if (status != PG_OK) {
        pg_log(PG_LOG_ERROR, "order %s was charged (%s) but could not be recorded (status %d)", o->order_id,
               o->charge_id, status);
        fail(o, status, "order not recorded");
        return;
    }
    pg_log(PG_LOG_DEBUG, "order %s recorded by %s", o->order_id, reply->replica);
    send_ship(o);
}

/* One attempt of recording the order (any Orders replica; Place is idempotent). */
static void send_place(order *o) {
    o->place_attempt++;
    shop_v1_Order request = {.quantity = o->order.quantity, .total_cents = o->total_cents};
    strcpy(request.order_id, o->order_id);
    strcpy(request.customer, o->order.customer);
    strcpy(request.sku, o->order.sku);
    strcpy(request.charge_id, o->charge_id);
    sent(o, shop_v1_Orders_Place_call_timeout(&request, CALL_TIMEOUT_NS, order_placed, o), "place");
}

/* One attempt of the charge. Fixed: the order id is the idempotency key of every attempt. */
static void send_charge(order *o) {
    o->attempt++;
    shop_v1_ChargeRequest request = {.amount_cents = o->total_cents};
#ifndef SHOP_PAYMENT_BUGGY
    strcpy(request.idempotency_key, o->order_id);
#else /* SHOP_PAYMENT_BUGGY: a new key per attempt, so a retry is a new charge */
    snprintf(request.idempotency_key, sizeof request.idempotency_key, "%s/%d", o->order_id,
             o->attempt);
#endif
    strcpy(request.customer, o->order.customer);
    sent(o, shop_v1_Payments_Charge_call_timeout(&request, CALL_TIMEOUT_NS, charged, o), "charge");
}

/* The copies are ours: give the order its id and charge the customer. */
static void charge(order *o) {
    uint8_t id[6];
    pg_random(id, sizeof id);
    snprintf(o->order_id, sizeof o->order_id, "vv-%02x%02x%02x%02x%02x%02x", id[0], id[1], id[2], id[3], id[4],
             id[5]);
    send_charge(o);
}

#ifndef SHOP_CHECKOUT_BUGGY

static void reserved(void *ctx, int status, const shop_v1_StockReply *reply) {
    order *o = ctx;
    if (status != PG_OK) {
        fail(o, status, status == PG_FAILED_PRECONDITION ? "sold out" : "reserve failed");
        return;
    }
    pg_log(PG_LOG_DEBUG, "reserved %d x %s, %d left", (int)o->order.quantity, o->order.sku,
           (int)reply->stock);
    charge(o);
}

static void priced(void *ctx, int status, const shop_v1_Record *record) {
    order *o = ctx;
    if (status != PG_OK) {
        fail(o, status, "no price");
        return;
    }
    o->total_cents = record->price_cents * o->order.quantity;
    shop_v1_ReserveRequest request = {.quantity = o->order.quantity};
    strcpy(request.sku, o->order.sku);
    sent(o, shop_v1_Inventory_Reserve_call_timeout(&request, CALL_TIMEOUT_NS, reserved, o), "reserve");
}

static void begin(order *o) {
    shop_v1_GetRecordRequest request;
    strcpy(request.sku, o->order.sku);
    sent(o, shop_v1_Catalog_Get_call_timeout(&request, CALL_TIMEOUT_NS, priced, o), "price");
}

#else /* SHOP_CHECKOUT_BUGGY: check the stock, then price, then write the stock back */

static void stock_written(void *ctx, int status, const shop_v1_StockReply *reply) {
    order *o = ctx;
    if (status != PG_OK) {
        fail(o, status, "stock update failed");
        return;
    }
    pg_log(PG_LOG_DEBUG, "set stock of %s to %d", o->order.sku, (int)reply->stock);
    charge(o);
}

static void priced(void *ctx, int status, const shop_v1_Record *record) {
    order *o = ctx;
    if (status != PG_OK) {
        fail(o, status, "no price");
        return;
    }
    o->total_cents = record->price_cents * o->order.quantity;
    shop_v1_SetStockRequest request = {.stock = o->stock_seen - o->order.quantity};
    strcpy(request.sku, o->order.sku);
    sent(o, shop_v1_Inventory_SetStock_call_timeout(&request, CALL_TIMEOUT_NS, stock_written, o),
         "set stock");
}

static void stock_checked(void *ctx, int status, const shop_v1_StockReply *reply) {
    order *o = ctx;
    if (status != PG_OK) {
        fail(o, status, "stock check failed");
        return;
    }
    if (reply->stock < o->order.quantity) {
        fail(o, PG_FAILED_PRECONDITION, "sold out");
        return;
    }
    o->stock_seen = reply->stock;
    shop_v1_GetRecordRequest request;
    strcpy(request.sku, o->order.sku);
    sent(o, shop_v1_Catalog_Get_call_timeout(&request, CALL_TIMEOUT_NS, priced, o), "price");
}

static void begin(order *o) {
    shop_v1_StockRequest request;
    strcpy(request.sku, o->order.sku);
    sent(o, shop_v1_Inventory_Stock_call_timeout(&request, CALL_TIMEOUT_NS, stock_checked, o),
         "stock check");
}

#endif

static void checkout(pg_call_id call, const shop_v1_OrderRequest *req) {
    if (req->quantity <= 0 || req->sku[0] == '\0') {
        pg_reply(call, PG_INVALID_ARGUMENT, NULL, 0);
        return;
    }
    order *o = calloc(1, sizeof *o);
    if (o == NULL) {
        pg_reply(call, PG_RESOURCE_EXHAUSTED, NULL, 0);
        return;
    }
    o->caller = call;
    o->order = *req;
    begin(o);
}

int service_start(void) {
    static const shop_v1_Checkout_handlers handlers = {.Checkout = checkout};
    int status = shop_v1_Checkout_register(&handlers);
    if (status == PG_OK) status = shop_v1_Catalog_require();
    if (status == PG_OK) status = shop_v1_Inventory_require();
    if (status == PG_OK) status = shop_v1_Payments_require();
    if (status == PG_OK) status = shop_v1_Orders_require();
    if (status == PG_OK) status = shop_v1_Shipping_require();
    return status;
}
