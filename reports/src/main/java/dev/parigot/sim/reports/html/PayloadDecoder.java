package dev.parigot.sim.reports.html;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StructProto;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bytes a step carried into text a reader can follow, from the protobuf descriptors of
 * the services in the world. A CALL on route {@code pkg.Service/Method} is read as the method's
 * input type, an OK RESULT as its output type ({@link DynamicMessage}, printed by
 * {@link TextFormat}); anything else (an unknown route, bytes that do not parse, a failed
 * result's detail) becomes a short hex preview with the size. {@link #decode} never throws.
 */
public final class PayloadDecoder {
    /** How many bytes a hex preview shows. */
    public static final int HEX_PREVIEW_BYTES_MAX = 32;
    /** How long a decoded text may be before it is cut (a payload may be up to megabytes). */
    public static final int TEXT_CHARS_MAX = 4096;

    private static final PayloadDecoder NONE = new PayloadDecoder(Map.of());
    // Files protoc leaves out of a descriptor set written without --include_imports, that protobuf-java carries.
    private static final Map<String, Descriptors.FileDescriptor> WELL_KNOWN = wellKnown();

    /** What a payload reads as: the message type ("" when it is not decoded) and the text. */
    public record Decoded(String type, String text) {
        /** Whether the payload was decoded as a message type (else the text is a hex preview or empty). */
        public boolean isDecoded() {
            return !type.isEmpty();
        }
    }

    private final Map<String, Descriptors.MethodDescriptor> methods;

    private PayloadDecoder(Map<String, Descriptors.MethodDescriptor> methods) {
        this.methods = Collections.unmodifiableMap(methods);
    }

    /** A decoder that knows no service: every payload becomes a hex preview. */
    public static PayloadDecoder none() {
        return NONE;
    }

    /** A decoder for the services declared in these files (and in the files they import). */
    public static PayloadDecoder of(Descriptors.FileDescriptor... files) {
        return of(java.util.Arrays.asList(files));
    }

    /** A decoder for the services declared in these files (and in the files they import). */
    public static PayloadDecoder of(List<Descriptors.FileDescriptor> files) {
        if (files == null) {
            throw new IllegalArgumentException("no file descriptors (null); pass e.g. BankProto.getDescriptor()");
        }
        return NONE.with(files);
    }

    /**
     * This decoder and the services declared in {@code files} (and the files they import); a
     * method both know is decoded as this decoder decodes it.
     */
    public PayloadDecoder with(Descriptors.FileDescriptor... files) {
        return with(java.util.Arrays.asList(files));
    }

    private PayloadDecoder with(List<Descriptors.FileDescriptor> files) {
        Map<String, Descriptors.MethodDescriptor> all = new LinkedHashMap<>(methods);
        List<Descriptors.FileDescriptor> seen = new ArrayList<>();
        for (Descriptors.FileDescriptor file : files) {
            if (file == null) {
                throw new IllegalArgumentException("a file descriptor is missing (null); pass e.g."
                        + " BankProto.getDescriptor()");
            }
            collect(file, all, seen);
        }
        return new PayloadDecoder(all);
    }

    private static void collect(Descriptors.FileDescriptor file, Map<String, Descriptors.MethodDescriptor> methods,
            List<Descriptors.FileDescriptor> seen) {
        if (seen.contains(file)) {
            return;
        }
        seen.add(file);
        for (Descriptors.ServiceDescriptor service : file.getServices()) {
            for (Descriptors.MethodDescriptor method : service.getMethods()) {
                methods.putIfAbsent(service.getFullName() + "/" + method.getName(), method);
            }
        }
        for (Descriptors.FileDescriptor dependency : file.getDependencies()) {
            collect(dependency, methods, seen);
        }
    }

    /**
     * A decoder for the services in a descriptor set file, as
     * {@code protoc --descriptor_set_out=FILE --include_imports} writes it.
     */
    public static PayloadDecoder fromDescriptorSet(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return fromDescriptorSet(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A decoder for the services in a serialized {@code google.protobuf.FileDescriptorSet}. */
    public static PayloadDecoder fromDescriptorSet(byte[] descriptorSet) {
        FileDescriptorSet set;
        try {
            set = FileDescriptorSet.parseFrom(descriptorSet);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a protobuf FileDescriptorSet (" + descriptorSet.length
                    + " bytes): " + e.getMessage() + "; write one with protoc --descriptor_set_out=FILE"
                    + " --include_imports", e);
        }
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        for (FileDescriptorProto proto : set.getFileList()) {
            protos.put(proto.getName(), proto);
        }
        Map<String, Descriptors.FileDescriptor> built = new HashMap<>();
        List<Descriptors.FileDescriptor> files = new ArrayList<>();
        for (String name : protos.keySet()) {
            files.add(build(name, protos, built, new ArrayList<>()));
        }
        return of(files);
    }

    private static Descriptors.FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, Descriptors.FileDescriptor> built, List<String> importing) {
        Descriptors.FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            Descriptors.FileDescriptor known = WELL_KNOWN.get(name);
            if (known != null) {
                return known;
            }
            throw new IllegalArgumentException("the descriptor set lacks " + name + ", imported by "
                    + importing.get(importing.size() - 1) + "; write it with protoc --include_imports");
        }
        if (importing.contains(name)) {
            throw new IllegalArgumentException("import cycle in the descriptor set: " + importing + " -> " + name);
        }
        importing.add(name);
        Descriptors.FileDescriptor[] dependencies = new Descriptors.FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < dependencies.length; i++) {
            dependencies[i] = build(proto.getDependency(i), protos, built, importing);
        }
        importing.remove(importing.size() - 1);
        try {
            Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(proto, dependencies);
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("the descriptor set's " + name + " is not valid: " + e.getMessage(),
                    e);
        }
    }

    private static Map<String, Descriptors.FileDescriptor> wellKnown() {
        Map<String, Descriptors.FileDescriptor> files = new HashMap<>();
        for (Descriptors.FileDescriptor file : List.of(AnyProto.getDescriptor(), DurationProto.getDescriptor(),
                EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(), StructProto.getDescriptor(),
                TimestampProto.getDescriptor(), WrappersProto.getDescriptor())) {
            files.put(file.getName(), file);
        }
        return files;
    }

    /** The routes ({@code pkg.Service/Method}) this decoder knows. */
    public Set<String> routes() {
        return methods.keySet();
    }

    /**
     * The text of a step's payload: a CALL read as the input type of {@code route}'s method, a
     * RESULT with status OK as its output type, all else as a hex preview. Never throws.
     *
     * @param kind the step's kind
     * @param route the step's method, {@code pkg.Service/Method}
     * @param status the result's status code (ignored for other kinds)
     * @param payload the bytes, or null for none
     */
    public Decoded decode(StepKind kind, String route, int status, byte[] payload) {
        byte[] bytes = payload == null ? new byte[0] : payload;
        try {
            Descriptors.MethodDescriptor method = route == null ? null : methods.get(route);
            if (method != null && kind == StepKind.CALL) {
                return parse(method.getInputType(), bytes);
            }
            if (method != null && kind == StepKind.RESULT && status == Status.OK.code()) {
                return parse(method.getOutputType(), bytes);
            }
            if (kind == StepKind.RESULT && status != Status.OK.code()) {
                // A failed result carries a detail: text, or (as some services answer) the method's reply message.
                Decoded detail = detail(bytes);
                boolean printable = !detail.text().equals(hex(bytes));
                if (printable || method == null || bytes.length == 0) {
                    return detail;
                }
                Decoded reply = parseStrictly(method.getOutputType(), bytes);
                return reply != null ? reply : detail;
            }
        } catch (RuntimeException unexpected) {
            // A descriptor protobuf cannot read these bytes with: fall through to hex.
        }
        return new Decoded("", hex(bytes));
    }

    private static Decoded parse(Descriptors.Descriptor type, byte[] bytes) {
        try {
            DynamicMessage message = DynamicMessage.parseFrom(type, bytes);
            String text = TextFormat.printer().printToString(message).strip();
            if (text.length() > TEXT_CHARS_MAX) {
                text = text.substring(0, TEXT_CHARS_MAX) + "\n… (cut at " + TEXT_CHARS_MAX + " characters)";
            }
            return new Decoded(type.getFullName(), text.isEmpty() ? "(every field at its default)" : text);
        } catch (InvalidProtocolBufferException e) {
            return new Decoded("", hex(bytes) + " (not a " + type.getFullName() + ")");
        }
    }

    /** The bytes as a {@code type} that holds no field the type does not declare, or null. */
    private static Decoded parseStrictly(Descriptors.Descriptor type, byte[] bytes) {
        try {
            DynamicMessage message = DynamicMessage.parseFrom(type, bytes);
            if (!message.getUnknownFields().asMap().isEmpty()) {
                return null;
            }
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        return parse(type, bytes);
    }

    /** A failed result carries a detail: printable UTF-8 is shown as it is. */
    private static Decoded detail(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (!text.isEmpty() && text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\n')) {
                return new Decoded("", text.length() > TEXT_CHARS_MAX ? text.substring(0, TEXT_CHARS_MAX) + "…" : text);
            }
        } catch (CharacterCodingException notText) {
            // shown as hex
        }
        return new Decoded("", hex(bytes));
    }

    /** {@code "5 bytes: 0a 03 41 64 61"}, the first {@value #HEX_PREVIEW_BYTES_MAX} bytes at most. */
    public static String hex(byte[] bytes) {
        if (bytes.length == 0) {
            return "0 bytes";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d byte%s:", bytes.length, bytes.length == 1 ? "" : "s"));
        int shown = Math.min(bytes.length, HEX_PREVIEW_BYTES_MAX);
        for (int i = 0; i < shown; i++) {
            out.append(String.format(Locale.ROOT, " %02x", bytes[i] & 0xff));
        }
        if (shown < bytes.length) {
            out.append(" …");
        }
        return out.toString();
    }
}
