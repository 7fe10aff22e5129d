package com.example.greeter;

import com.example.greeter.v1.GreeterProto;
import com.example.greeter.v1.HelloReply;
import com.example.greeter.v1.HelloRequest;
import com.example.greeter.v1.LookupReply;
import com.example.greeter.v1.LookupRequest;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import java.util.Map;

/**
 * The Greeter (C, compiled to WASM by this build) against a fake Directory written in Java. Each
 * seed runs the scenario in a fresh world, under its own order of message deliveries.
 */
class GreeterSimTest {
    static final String GREETER = "example.v1.Greeter";

    // On the test classpath because the build compiled it into target/classes/guests/. Load it
    // once per class (a static field): it is parsed and compiled once per JVM.
    static final GuestModule GREETER_MODULE = GuestModule.fromResource(GreeterSimTest.class, "/guests/greeter.wasm");

    static final Map<String, String> NAMES = Map.of("ada", "Ada Lovelace", "alan", "Alan Turing");

    /** The Directory the Greeter calls: an in-memory fake, typed from greeter.proto. */
    static JavaService fakeDirectory() {
        return JavaService.builder(GreeterProto.getDescriptor().findServiceByName("Directory"))
                .method("Lookup", LookupRequest.parser(), (request, call) -> call.reply(LookupReply.newBuilder()
                        .setName(NAMES.getOrDefault(request.getUser(), "")).build()))
                .build();
    }

    @ParigotSimTest(seeds = 200)
    void everyoneTheDirectoryKnowsIsGreetedByName(Sim sim) {
        sim.add("directory", fakeDirectory());
        sim.add(GREETER_MODULE); // node "greeter", named after the module
        SimFuture<HelloReply> ada = sim.client("ada").call(GREETER, "Hello", hello("ada"), HelloReply.parser());
        SimFuture<HelloReply> alan = sim.client("alan").call(GREETER, "Hello", hello("alan"), HelloReply.parser());
        sim.runUntil(() -> ada.isDone() && alan.isDone());
        sim.verify("everyone the directory knows is greeted by name", () -> {
            expectText(ada, "hello, Ada Lovelace");
            expectText(alan, "hello, Alan Turing");
        });
        sim.run();
    }

    static HelloRequest hello(String user) {
        return HelloRequest.newBuilder().setUser(user).build();
    }

    static void expectText(SimFuture<HelloReply> reply, String expected) {
        String text = reply.get().getText();
        if (!text.equals(expected)) {
            throw new AssertionError("the Greeter answered \"" + text + "\", expected \"" + expected + "\"");
        }
    }
}
