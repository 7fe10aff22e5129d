package dev.parigot.sim.runner;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The methods of the services a unit serves, from a protoc descriptor set
 * ({@code protoc --descriptor_set_out=F --include_imports}): what Connect's JSON bodies are
 * translated with.
 */
final class MessageTypes {
    private final Map<String, MethodDescriptor> methods;

    private MessageTypes(Map<String, MethodDescriptor> methods) {
        this.methods = methods;
    }

    /** Reads {@code file}; a file that is not a descriptor set, or lacks an import, is refused with its name. */
    static MessageTypes load(Path file) {
        FileDescriptorSet set;
        try {
            set = FileDescriptorSet.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the descriptor set " + file + ": " + e.getMessage()
                    + "; give a file written by protoc --descriptor_set_out=FILE --include_imports", e);
        }
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        set.getFileList().forEach(f -> protos.put(f.getName(), f));
        Map<String, FileDescriptor> built = new HashMap<>();
        Map<String, MethodDescriptor> methods = new HashMap<>();
        for (String name : protos.keySet()) {
            for (ServiceDescriptor service : build(name, protos, built, file).getServices()) {
                for (MethodDescriptor method : service.getMethods()) {
                    methods.put(service.getFullName() + "/" + method.getName(), method);
                }
            }
        }
        return new MessageTypes(methods);
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built, Path file) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalArgumentException("the descriptor set " + file + " lacks " + name
                    + ", which another file in it imports; write it with protoc --include_imports");
        }
        FileDescriptor[] deps = proto.getDependencyList().stream().map(d -> build(d, protos, built, file))
                .toArray(FileDescriptor[]::new);
        try {
            FileDescriptor fd = FileDescriptor.buildFrom(proto, deps);
            built.put(name, fd);
            return fd;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("the descriptor set " + file + " has an invalid " + name + ": "
                    + e.getMessage(), e);
        }
    }

    /** The method {@code service/method}, if the set describes it. */
    Optional<MethodDescriptor> method(String service, String method) {
        return Optional.ofNullable(methods.get(service + "/" + method));
    }
}
