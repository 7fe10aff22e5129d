package dev.parigot.sim.reports.html;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.TextFormat;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.ServiceContext;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bank with a lost update: Deposit reads the balance from the store, then writes balance +
 * amount, so two deposits that overlap both read the old balance and one of them is lost. The
 * invariant "no acknowledged deposit is lost" finds it. Around it, an auditor (the C echo guest)
 * that the test pauses, partitions away, crashes and restarts, a clogged bank, and a clock that
 * ticks and logs: every explicit fault the kernel has.
 */
final class BankWorld {
    static final Descriptors.FileDescriptor BANK_PROTO = bankProto();
    static final Descriptors.Descriptor DEPOSIT_REQUEST = BANK_PROTO.findMessageTypeByName("DepositRequest");
    static final Descriptors.Descriptor DEPOSIT_REPLY = BANK_PROTO.findMessageTypeByName("DepositReply");
    static final Descriptors.Descriptor GET_REQUEST = BANK_PROTO.findMessageTypeByName("GetRequest");
    static final Descriptors.Descriptor BALANCE = BANK_PROTO.findMessageTypeByName("Balance");
    static final Descriptors.Descriptor PUT_REQUEST = BANK_PROTO.findMessageTypeByName("PutRequest");
    static final Descriptors.Descriptor PUT_REPLY = BANK_PROTO.findMessageTypeByName("PutReply");
    static final String ACCOUNT = "shared";
    /** The C echo guest sim-kernel's tests build (surefire runs in reports/). */
    static final GuestModule ECHO = GuestModule.load(Path.of("../sim-kernel/src/test/resources/guests/echo.wasm"));
    /** Logged by the bank at every deposit: text a page must show as text, never as markup. */
    static final String NASTY_LOG = "deposit \"quoted\" </script><script>window.pwned=1</script> & done";

    final Sim sim;
    final Map<String, Long> store = new HashMap<>();
    long acked;

    private BankWorld(Sim sim) {
        this.sim = sim;
    }

    /** Runs the bank until its invariant fails (it does, for every seed the tests use). */
    static BankWorld failingRun(long seed) {
        BankWorld w = new BankWorld(Sim.create(SimConfig.builder().seed(seed).echoLog(false).tracePayloads(true)
                .build()));
        Sim sim = w.sim;
        sim.add("store", w.storeService()).add("bank", bankService()).add(ECHO, NodeOptions.named("auditor"))
                .add("clock", clockService());
        TestClient alice = sim.client("alice");
        TestClient bob = sim.client("bob");
        sim.invariant("no acknowledged deposit is lost",
                () -> w.store.getOrDefault(ACCOUNT, 0L) >= w.acked);
        sim.boot();
        alice.call("test.v1.Echo", "Echo", new byte[] {(byte) 0xca, (byte) 0xfe});
        sim.runFor(Duration.ofMillis(1));
        sim.pause("auditor");
        sim.runFor(Duration.ofMillis(1));
        sim.resume("auditor");
        sim.partition(List.of("auditor"), List.of("bank", "store"));
        sim.runFor(Duration.ofMillis(1));
        sim.heal();
        sim.crash("auditor");
        sim.runFor(Duration.ofMillis(1));
        sim.restart("auditor");
        sim.clog("bank", Duration.ofMillis(1));
        w.depositChain(alice, 3, 10);
        w.depositChain(bob, 3, 20);
        try {
            sim.run();
        } catch (SimFailureException expected) {
            return w;
        }
        throw new AssertionError("seed " + seed + ": the bank lost no deposit; pick a seed where it does");
    }

    private void depositChain(TestClient client, int left, long amount) {
        if (left == 0) {
            return;
        }
        client.call("bank.v1.Bank", "Deposit", message(DEPOSIT_REQUEST, "account", ACCOUNT, "amount", amount),
                parser(DEPOSIT_REPLY)).whenDone(done -> {
                    if (done.isOk()) {
                        acked += amount;
                    }
                    depositChain(client, left - 1, amount);
                });
    }

    private JavaService storeService() {
        return JavaService.builder(BANK_PROTO.findServiceByName("Store"))
                .method("Get", parser(GET_REQUEST), (req, call) -> call.reply(message(BALANCE, "account",
                        text(req, "account"), "amount", store.getOrDefault(text(req, "account"), 0L))))
                .method("Put", parser(PUT_REQUEST), (req, call) -> {
                    store.put(text(req, "account"), number(req, "amount"));
                    call.reply(DynamicMessage.getDefaultInstance(PUT_REPLY));
                })
                .build();
    }

    private static JavaService bankService() {
        return JavaService.builder(BANK_PROTO.findServiceByName("Bank"))
                .requires("bank.v1.Store")
                .method("Deposit", parser(DEPOSIT_REQUEST), (req, call) -> {
                    ServiceContext ctx = call.context();
                    String account = text(req, "account");
                    long amount = number(req, "amount");
                    ctx.log(LogLine.Level.INFO, NASTY_LOG);
                    ctx.call("bank.v1.Store", "Get", message(GET_REQUEST, "account", account), parser(BALANCE))
                            .whenDone(got -> {
                                if (!got.isOk()) {
                                    call.reply(Status.UNAVAILABLE, new byte[0]);
                                    return;
                                }
                                long balance = number(got.get(), "amount") + amount; // the lost update
                                ctx.call("bank.v1.Store", "Put", message(PUT_REQUEST, "account", account,
                                        "amount", balance), parser(PUT_REPLY)).whenDone(put -> {
                                            if (put.isOk()) {
                                                call.reply(message(DEPOSIT_REPLY, "balance", balance));
                                            } else {
                                                call.reply(Status.UNAVAILABLE, new byte[0]);
                                            }
                                        });
                            });
                })
                .build();
    }

    private static JavaService clockService() {
        return JavaService.builder("bank.v1.Clock")
                .onReady(ctx -> tick(ctx, 3))
                .build();
    }

    private static void tick(ServiceContext ctx, int left) {
        if (left > 0) {
            ctx.schedule(Duration.ofMillis(1), () -> {
                ctx.log(left == 1 ? LogLine.Level.WARN : LogLine.Level.INFO, "audit tick, " + (left - 1) + " left");
                tick(ctx, left - 1);
            });
        }
    }

    static DynamicMessage message(Descriptors.Descriptor type, Object... fieldsAndValues) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            b.setField(type.findFieldByName((String) fieldsAndValues[i]), fieldsAndValues[i + 1]);
        }
        return b.build();
    }

    static Parser<DynamicMessage> parser(Descriptors.Descriptor type) {
        return DynamicMessage.getDefaultInstance(type).getParserForType();
    }

    static String text(Message m, String field) {
        return (String) m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    static long number(Message m, String field) {
        return (Long) m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    private static Descriptors.FileDescriptor bankProto() {
        String text = """
                name: "bank/v1/bank.proto"
                package: "bank.v1"
                syntax: "proto3"
                message_type { name: "DepositRequest"
                  field { name: "account" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "account" }
                  field { name: "amount" number: 2 type: TYPE_INT64 label: LABEL_OPTIONAL json_name: "amount" } }
                message_type { name: "DepositReply"
                  field { name: "balance" number: 1 type: TYPE_INT64 label: LABEL_OPTIONAL json_name: "balance" } }
                message_type { name: "GetRequest"
                  field { name: "account" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "account" } }
                message_type { name: "Balance"
                  field { name: "account" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "account" }
                  field { name: "amount" number: 2 type: TYPE_INT64 label: LABEL_OPTIONAL json_name: "amount" } }
                message_type { name: "PutRequest"
                  field { name: "account" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL json_name: "account" }
                  field { name: "amount" number: 2 type: TYPE_INT64 label: LABEL_OPTIONAL json_name: "amount" } }
                message_type { name: "PutReply" }
                service { name: "Bank"
                  method { name: "Deposit" input_type: ".bank.v1.DepositRequest" output_type: ".bank.v1.DepositReply" } }
                service { name: "Store"
                  method { name: "Get" input_type: ".bank.v1.GetRequest" output_type: ".bank.v1.Balance" }
                  method { name: "Put" input_type: ".bank.v1.PutRequest" output_type: ".bank.v1.PutReply" } }
                """;
        try {
            FileDescriptorProto.Builder proto = FileDescriptorProto.newBuilder();
            TextFormat.merge(text, proto);
            return Descriptors.FileDescriptor.buildFrom(proto.build(), new Descriptors.FileDescriptor[0]);
        } catch (TextFormat.ParseException | Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException("the test's bank.proto does not build", e);
        }
    }
}
