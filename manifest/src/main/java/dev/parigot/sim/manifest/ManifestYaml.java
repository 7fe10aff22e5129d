package dev.parigot.sim.manifest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest's YAML read into records by Jackson (jackson-dataformat-yaml), keeping the line of
 * every node and unit for messages, and Jackson's errors turned into sentences that say where and
 * what to do. Unknown keys and keys given twice are errors.
 */
final class ManifestYaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private ManifestYaml() {
    }

    // Classes with fields, not records: Jackson reports an unknown key of a record only at the end of
    // its mapping (it buffers them for the creator), and the line of the key itself is what helps.

    /** The whole file. Any key may be absent (null): the checks say what is missing. */
    static final class FileFields {
        public Integer version;
        @JsonDeserialize(using = NodesDeserializer.class)
        public List<Entry<NodeFields>> nodes;
        @JsonDeserialize(using = UnitsDeserializer.class)
        public List<Entry<UnitFields>> units;
    }

    /** One node as written: {@code replicas} null means 1. */
    static final class NodeFields {
        public String module;
        public LinkedHashMap<String, String> env;
        public List<String> args;
        public Integer replicas;
    }

    /** One unit as written. */
    static final class UnitFields {
        public List<String> nodes;
    }

    /** A named entry of a mapping ({@code nodes:} or {@code units:}) and the line of its name; value may be null. */
    record Entry<T>(String name, int line, T value) {
    }

    /** Reads {@code text}; {@code source} names it in messages. Null if the text holds no document. */
    static FileFields read(String text, String source) {
        try {
            return MAPPER.readValue(text, FileFields.class);
        } catch (MismatchedInputException e) {
            if (e.getMessage().startsWith("No content to map")) {
                return null;
            }
            throw translate(source, e);
        } catch (JacksonException e) {
            throw translate(source, e);
        }
    }

    /** A mapping from names to {@code type}, in file order, each with the line of its name. */
    abstract static class LinedDeserializer<T> extends StdDeserializer<List<Entry<T>>> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final String what;

        LinedDeserializer(Class<T> type, String what) {
            super(Map.class); // what the file must hold here, as messages say it
            this.type = type;
            this.what = what;
        }

        @Override
        public List<Entry<T>> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return ctxt.reportInputMismatch(this, "expected a mapping from %s names to their keys", what);
            }
            List<Entry<T>> entries = new ArrayList<>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                int line = p.currentTokenLocation().getLineNr();
                T value = null;
                if (p.nextToken() != JsonToken.VALUE_NULL) {
                    try {
                        value = ctxt.readValue(p, type);
                    } catch (DatabindException e) {
                        throw JsonMappingException.wrapWithPath(e, entries, name);
                    }
                }
                entries.add(new Entry<>(name, line, value));
            }
            return entries;
        }
    }

    static final class NodesDeserializer extends LinedDeserializer<NodeFields> {
        private static final long serialVersionUID = 1L;

        NodesDeserializer() {
            super(NodeFields.class, "node");
        }
    }

    static final class UnitsDeserializer extends LinedDeserializer<UnitFields> {
        private static final long serialVersionUID = 1L;

        UnitsDeserializer() {
            super(UnitFields.class, "unit");
        }
    }

    // ---- Jackson's errors as sentences ----

    private static ManifestException translate(String source, JacksonException thrown) {
        JacksonException e = thrown;
        if (e instanceof JsonMappingException && !(e instanceof MismatchedInputException)
                && e.getCause() instanceof JacksonException) {
            e = (JacksonException) e.getCause(); // a YAML error met while binding, wrapped with its path
        }
        JsonLocation location = e.getLocation();
        if (e instanceof DatabindException && e.getProcessor() instanceof JsonParser) {
            // The token that did not fit (the YAML parser reads ahead: its own location may be a line later).
            location = ((JsonParser) e.getProcessor()).currentTokenLocation();
        }
        String at = source + (location != null && location.getLineNr() > 0 ? ":" + location.getLineNr() : "");
        return new ManifestException(at + ": " + sentence(e), thrown);
    }

    private static String sentence(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            List<String> path = path(u);
            if (!path.isEmpty() && path.get(path.size() - 1).equals(u.getPropertyName())) {
                path = path.subList(0, path.size() - 1);
            }
            return "unknown key '" + u.getPropertyName() + "' in " + where(path) + "; the keys there are "
                    + known(u.getKnownPropertyIds()) + " (see docs/deploy.md)";
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token")) {
            return "a second YAML document follows the manifest; a manifest is one document: remove what follows"
                    + " the '---', or give it its own file";
        }
        if (e instanceof MismatchedInputException) {
            MismatchedInputException m = (MismatchedInputException) e;
            String given = e instanceof InvalidFormatException
                    ? ", not \"" + ((InvalidFormatException) e).getValue() + "\"" : "";
            return where(path(m)) + " must be " + expected(m.getTargetType()) + given;
        }
        if (e instanceof JacksonYAMLParseException) {
            // SnakeYAML's first line says what is wrong; the rest repeats the place, which the prefix gives.
            String what = e.getOriginalMessage().strip().split("\\R", 2)[0];
            JsonLocation at = e.getLocation();
            return "not valid YAML: " + what + (at != null && at.getColumnNr() > 0 ? " (column " + at.getColumnNr()
                    + ")" : "");
        }
        Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
        if (duplicate.find()) {
            return "key '" + duplicate.group(1) + "' appears twice in one mapping; give each key once"
                    + " (two nodes or units need two names)";
        }
        return "cannot be read (" + e.getClass().getName() + "): " + e.getOriginalMessage();
    }

    private static List<String> path(DatabindException e) {
        List<String> names = new ArrayList<>();
        if (e instanceof JsonMappingException) {
            for (JsonMappingException.Reference r : ((JsonMappingException) e).getPath()) {
                names.add(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
            }
        }
        return names;
    }

    /** "node 'orders'", "key 'replicas' of node 'orders'", "env PORT of node 'orders'", "the top level". */
    private static String where(List<String> path) {
        if (path.isEmpty()) {
            return "the top level of the manifest";
        }
        String top = path.get(0);
        if (path.size() == 1) {
            return "key '" + top + "'";
        }
        String owner = (top.equals("nodes") ? "node '" : "unit '") + path.get(1) + "'";
        if (path.size() == 2) {
            return owner;
        }
        String key = path.get(2);
        if (path.size() == 3) {
            return "key '" + key + "' of " + owner;
        }
        String item = path.get(3);
        if (key.equals("env")) {
            return "env " + item + " of " + owner;
        }
        return "item " + (Integer.parseInt(item) + 1) + " of '" + key + "' of " + owner;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a single value (text or a number)";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list ([a, b] or one '- item' per line)";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping (one 'key: value' per line)";
        }
        return "a mapping of keys (see docs/deploy.md)";
    }

    private static String known(Collection<Object> ids) {
        TreeSet<String> sorted = new TreeSet<>();
        for (Object id : ids) {
            sorted.add(String.valueOf(id));
        }
        return String.join(", ", sorted);
    }
}
