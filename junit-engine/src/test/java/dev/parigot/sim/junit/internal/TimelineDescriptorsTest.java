package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.StringValue;
import com.google.protobuf.WrappersProto;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.reports.FailureReport;
import dev.parigot.sim.reports.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing seed's timeline reads payloads with the descriptor sets {@code parigot.descriptors} names. */
class TimelineDescriptorsTest {
    static final String SERVICE = "test.v1.Greeter";

    /** A greeter that answers one name wrongly: the seed fails, and its timeline shows both messages. */
    static class Greets {
        @ParigotSimTest(seeds = 1)
        void greetsByName(Sim sim) {
            sim.add("greeter", JavaService.builder(SERVICE)
                    .method("Hello", StringValue.parser(), (req, call) -> call.reply(StringValue.of("hello, nobody")))
                    .build());
            TestClient ada = sim.client("ada");
            String reply = sim.await(ada.call(SERVICE, "Hello", StringValue.of("Ada"), StringValue.parser())).getValue();
            sim.verify("greets by name", () -> {
                if (!reply.equals("hello, Ada")) {
                    throw new AssertionError("got " + reply);
                }
            });
        }
    }

    /** A guest writes to its disk, then the seed fails: the timeline holds the storage service's messages. */
    static class WritesToDisk {
        static final GuestModule DISK = GuestModule.load(Path.of("../sim-kernel/src/test/resources/guests/disk_user.wasm"));

        @ParigotSimTest(seeds = 1)
        void failsAfterAWrite(Sim sim) {
            sim.add(DISK);
            sim.await(sim.client("c").call("test.v1.Disk", "WriteSync", "k7=v".getBytes(StandardCharsets.UTF_8)));
            sim.verify("fails after a write", () -> {
                throw new AssertionError("on purpose");
            });
        }
    }

    @TempDir
    Path dir;

    @Test
    void theStorageServicesPayloadsAreDecodedWithoutADescriptorSet() throws Exception {
        EngineRun run = EngineRun.in(dir);
        run.run(WritesToDisk.class);

        FailureReport failure = ReportJson.read(run.summary(WritesToDisk.class, "failsAfterAWrite")).failures().get(0);
        String page = Files.readString(Path.of(failure.timelineFile()));
        assertThat(page).contains("parigot.storage.v1.WriteRequest").contains("key: \\\"k7\\\"")
                .contains("parigot.storage.v1.SyncReply");
    }

    @Test
    void payloadsAreDecodedWithTheNamedDescriptorSet() throws Exception {
        FileDescriptorProto greeter = FileDescriptorProto.newBuilder().setName("test/v1/greeter.proto")
                .setPackage("test.v1").setSyntax("proto3").addDependency(WrappersProto.getDescriptor().getName())
                .addService(ServiceDescriptorProto.newBuilder().setName("Greeter").addMethod(MethodDescriptorProto
                        .newBuilder().setName("Hello").setInputType(".google.protobuf.StringValue")
                        .setOutputType(".google.protobuf.StringValue")))
                .build();
        Path set = dir.resolve("greeter.protobin");
        Files.write(set, FileDescriptorSet.newBuilder().addFile(WrappersProto.getDescriptor().toProto())
                .addFile(greeter).build().toByteArray());

        EngineRun run = EngineRun.in(dir).set(Settings.DESCRIPTORS, set.toString());
        run.run(Greets.class);

        FailureReport failure = ReportJson.read(run.summary(Greets.class, "greetsByName")).failures().get(0);
        String page = Files.readString(Path.of(failure.timelineFile()));
        assertThat(page).contains("value: \\\"Ada\\\"").contains("value: \\\"hello, nobody\\\"")
                .contains("google.protobuf.StringValue");
    }

    @Test
    void withoutDescriptorsPayloadsAreShownAsBytes() throws Exception {
        EngineRun run = EngineRun.in(dir);
        run.run(Greets.class);

        FailureReport failure = ReportJson.read(run.summary(Greets.class, "greetsByName")).failures().get(0);
        String page = Files.readString(Path.of(failure.timelineFile()));
        assertThat(page).doesNotContain("value: \\\"Ada\\\"").contains("5 bytes: 0a 03 41 64 61");
    }

    @Test
    void anUnreadableDescriptorSetIsSaidInTheReportAndFailsNothingElse() throws Exception {
        Path bad = dir.resolve("bad.protobin");
        Files.writeString(bad, "not a descriptor set");
        EngineRun run = EngineRun.in(dir).set(Settings.DESCRIPTORS, bad.toString());
        var results = run.run(Greets.class);

        String report = EngineRun.message(EngineRun.failedSeeds(results).get(0));
        assertThat(report).contains("timeline: not written (").contains("cannot decode payloads")
                .contains("greets by name");
    }
}
