package dev.parigot.sim.samples;

import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.shop.v1.GetRecordRequest;
import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.ListRecordsReply;
import dev.parigot.sim.samples.shop.v1.ListRecordsRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.Order;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.PlaceReply;
import dev.parigot.sim.samples.shop.v1.Record;
import dev.parigot.sim.samples.shop.v1.ReserveRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import dev.parigot.sim.samples.shop.v1.StockReply;
import dev.parigot.sim.samples.shop.v1.StockRequest;

/** Typed calls to the record shop's services from one test client (messages of shop/v1/*.proto). */
public final class ShopClient {
    private final TestClient client;

    public ShopClient(TestClient client) {
        this.client = client;
    }

    public SimFuture<Record> record(String sku) {
        return client.call(ShopSample.CATALOG, "Get", GetRecordRequest.newBuilder().setSku(sku).build(),
                Record.parser());
    }

    public SimFuture<ListRecordsReply> records() {
        return client.call(ShopSample.CATALOG, "List", ListRecordsRequest.getDefaultInstance(),
                ListRecordsReply.parser());
    }

    public SimFuture<StockReply> stock(String sku) {
        return client.call(ShopSample.INVENTORY, "Stock", StockRequest.newBuilder().setSku(sku).build(),
                StockReply.parser());
    }

    public SimFuture<StockReply> setStock(String sku, int stock) {
        return client.call(ShopSample.INVENTORY, "SetStock",
                SetStockRequest.newBuilder().setSku(sku).setStock(stock).build(), StockReply.parser());
    }

    public SimFuture<StockReply> reserve(String sku, int quantity) {
        return client.call(ShopSample.INVENTORY, "Reserve",
                ReserveRequest.newBuilder().setSku(sku).setQuantity(quantity).build(), StockReply.parser());
    }

    public SimFuture<OrderReply> checkout(String customer, String sku, int quantity) {
        return client.call(ShopSample.CHECKOUT, "Checkout",
                OrderRequest.newBuilder().setCustomer(customer).setSku(sku).setQuantity(quantity).build(),
                OrderReply.parser());
    }

    /** The orders of {@code customer} that one Orders replica knows ({@code shop.v1.Orders@<node>}) or any. */
    public SimFuture<ListOrdersReply> orders(String service, String customer) {
        return client.call(service, "List", ListOrdersRequest.newBuilder().setCustomer(customer).build(),
                ListOrdersReply.parser());
    }

    /** Records an order directly with the Orders (any replica, or {@code shop.v1.Orders@<node>}). */
    public SimFuture<PlaceReply> place(String service, Order order) {
        return client.call(service, "Place", order, PlaceReply.parser());
    }
}
