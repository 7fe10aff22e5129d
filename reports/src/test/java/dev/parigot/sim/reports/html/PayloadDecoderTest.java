package dev.parigot.sim.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.WrappersProto;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payloads read as the method's input (CALL) or output (RESULT) type; everything else as hex, never an exception. */
class PayloadDecoderTest {
    static final PayloadDecoder BANK = PayloadDecoder.of(BankWorld.BANK_PROTO);
    static final String DEPOSIT = "bank.v1.Bank/Deposit";

    static byte[] depositRequest() {
        return BankWorld.message(BankWorld.DEPOSIT_REQUEST, "account", "shared", "amount", 10L).toByteArray();
    }

    @Test
    void callIsReadAsTheMethodsInputTypeAndResultAsItsOutputType() {
        PayloadDecoder.Decoded call = BANK.decode(StepKind.CALL, DEPOSIT, 0, depositRequest());
        PayloadDecoder.Decoded result = BANK.decode(StepKind.RESULT, DEPOSIT, Status.OK.code(),
                BankWorld.message(BankWorld.DEPOSIT_REPLY, "balance", 30L).toByteArray());

        assertThat(call.type()).isEqualTo("bank.v1.DepositRequest");
        assertThat(call.text()).isEqualTo("account: \"shared\"\namount: 10");
        assertThat(result.type()).isEqualTo("bank.v1.DepositReply");
        assertThat(result.text()).isEqualTo("balance: 30");
        assertThat(BANK.routes()).containsExactly("bank.v1.Bank/Deposit", "bank.v1.Store/Get", "bank.v1.Store/Put");
    }

    @Test
    void withAddsTheServicesOfMoreFilesAndKeepsTheMethodsItKnew() throws Exception {
        // Another file that also declares bank.v1.Bank/Deposit (as StringValue) and a Greeter.
        FileDescriptorProto other = FileDescriptorProto.newBuilder().setName("other.proto").setPackage("bank.v1")
                .setSyntax("proto3").addDependency(WrappersProto.getDescriptor().getName())
                .addService(com.google.protobuf.DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Bank")
                        .addMethod(method("Deposit")))
                .addService(com.google.protobuf.DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Greeter")
                        .addMethod(method("Hello")))
                .build();
        Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(other,
                new Descriptors.FileDescriptor[] {WrappersProto.getDescriptor()});

        PayloadDecoder both = BANK.with(file);

        assertThat(both.decode(StepKind.CALL, DEPOSIT, 0, depositRequest()).type()).isEqualTo("bank.v1.DepositRequest");
        PayloadDecoder.Decoded hello = both.decode(StepKind.CALL, "bank.v1.Greeter/Hello", 0,
                com.google.protobuf.StringValue.of("Ada").toByteArray());
        assertThat(hello.type()).isEqualTo("google.protobuf.StringValue");
        assertThat(hello.text()).isEqualTo("value: \"Ada\"");
        assertThat(BANK.routes()).doesNotContain("bank.v1.Greeter/Hello"); // BANK itself is unchanged
        assertThat(PayloadDecoder.none().with(file).routes()).contains("bank.v1.Greeter/Hello");
    }

    static com.google.protobuf.DescriptorProtos.MethodDescriptorProto method(String name) {
        return com.google.protobuf.DescriptorProtos.MethodDescriptorProto.newBuilder().setName(name)
                .setInputType(".google.protobuf.StringValue").setOutputType(".google.protobuf.StringValue").build();
    }

    @Test
    void anEmptyPayloadIsTheMessageWithEveryFieldAtItsDefault() {
        PayloadDecoder.Decoded empty = BANK.decode(StepKind.RESULT, "bank.v1.Store/Put", 0, new byte[0]);

        assertThat(empty.type()).isEqualTo("bank.v1.PutReply");
        assertThat(empty.text()).isEqualTo("(every field at its default)");
    }

    @Test
    void unknownRouteAndBytesThatDoNotParseFallBackToAHexPreviewWithTheSize() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThat(BANK.decode(StepKind.CALL, "other.v1.X/Y", 0, new byte[] {1, 2})).isEqualTo(
                new PayloadDecoder.Decoded("", "2 bytes: 01 02"));
        assertThat(BANK.decode(StepKind.CALL, DEPOSIT, 0, garbage).text())
                .isEqualTo("3 bytes: ff ff ff (not a bank.v1.DepositRequest)");
        assertThat(BANK.decode(StepKind.CALL, DEPOSIT, 0, garbage).isDecoded()).isFalse();
        assertThat(BANK.decode(StepKind.CALL, null, 0, null).text()).isEqualTo("0 bytes");
        assertThat(PayloadDecoder.none().decode(StepKind.CALL, DEPOSIT, 0, depositRequest()).text())
                .isEqualTo("10 bytes: 0a 06 73 68 61 72 65 64 10 0a");
    }

    @Test
    void aLongPayloadShowsOnlyItsFirstBytes() {
        String hex = PayloadDecoder.hex(new byte[1000]);

        assertThat(hex).startsWith("1,000 bytes: 00 00").endsWith(" …");
        assertThat(hex.split(" 00", -1)).hasSize(PayloadDecoder.HEX_PREVIEW_BYTES_MAX + 1);
    }

    @Test
    void aFailedResultShowsItsDetailTextOrHex() {
        assertThat(BANK.decode(StepKind.RESULT, DEPOSIT, Status.UNAVAILABLE.code(),
                "store is down".getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("store is down");
        assertThat(BANK.decode(StepKind.RESULT, DEPOSIT, Status.UNAVAILABLE.code(), new byte[] {0, 1}).text())
                .isEqualTo("2 bytes: 00 01");
    }

    @Test
    void aFailedResultThatCarriesTheMethodsReplyIsReadAsIt() {
        byte[] reply = BankWorld.message(BankWorld.DEPOSIT_REPLY, "balance", 30L).toByteArray();
        PayloadDecoder.Decoded d = BANK.decode(StepKind.RESULT, DEPOSIT, Status.FAILED_PRECONDITION.code(), reply);
        assertThat(d.type()).isEqualTo("bank.v1.DepositReply");
        assertThat(d.text()).isEqualTo("balance: 30");
        // Bytes the reply type would read only as unknown fields stay bytes.
        byte[] other = BankWorld.message(BankWorld.DEPOSIT_REQUEST, "account", "shared", "amount", 10L).toByteArray();
        assertThat(BANK.decode(StepKind.RESULT, DEPOSIT, Status.FAILED_PRECONDITION.code(), other).isDecoded())
                .isFalse();
    }

    @Test
    void aDescriptorSetAsProtocWritesItDecodesTheSameAndMayLeaveOutWellKnownImports(@TempDir Path dir)
            throws Exception {
        FileDescriptorProto counter = FileDescriptorProto.newBuilder().setName("counter.proto").setPackage("c.v1")
                .setSyntax("proto3").addDependency("google/protobuf/wrappers.proto")
                .addService(com.google.protobuf.DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Counter")
                        .addMethod(com.google.protobuf.DescriptorProtos.MethodDescriptorProto.newBuilder()
                                .setName("Next").setInputType(".google.protobuf.Int64Value")
                                .setOutputType(".google.protobuf.Int64Value")))
                .build();
        Path set = dir.resolve("all.pb");
        Files.write(set, FileDescriptorSet.newBuilder().addFile(BankWorld.BANK_PROTO.toProto()).addFile(counter)
                .build().toByteArray());

        PayloadDecoder decoder = PayloadDecoder.fromDescriptorSet(set);

        assertThat(decoder.decode(StepKind.CALL, DEPOSIT, 0, depositRequest()).text())
                .isEqualTo("account: \"shared\"\namount: 10");
        assertThat(decoder.decode(StepKind.RESULT, "c.v1.Counter/Next", 0,
                com.google.protobuf.Int64Value.of(7).toByteArray())).isEqualTo(
                        new PayloadDecoder.Decoded("google.protobuf.Int64Value", "value: 7"));
        assertThat(WrappersProto.getDescriptor().getName()).isEqualTo("google/protobuf/wrappers.proto");
    }

    @Test
    void badDescriptorSetsAreRefusedSayingWhatIsWrong(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pb");
        Files.write(junk, new byte[] {(byte) 0xff, 0x01});
        FileDescriptorProto needsMissing = FileDescriptorProto.newBuilder().setName("a.proto")
                .addDependency("b/missing.proto").build();

        assertThatThrownBy(() -> PayloadDecoder.fromDescriptorSet(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(junk + ": not a protobuf FileDescriptorSet (2 bytes)")
                .hasMessageEndingWith("write one with protoc --descriptor_set_out=FILE --include_imports");
        assertThatThrownBy(() -> PayloadDecoder.fromDescriptorSet(
                FileDescriptorSet.newBuilder().addFile(needsMissing).build().toByteArray()))
                .hasMessage("the descriptor set lacks b/missing.proto, imported by a.proto; write it with protoc"
                        + " --include_imports");
        assertThatThrownBy(() -> PayloadDecoder.of((Descriptors.FileDescriptor) null))
                .hasMessageStartingWith("a file descriptor is missing (null)");
    }
}
