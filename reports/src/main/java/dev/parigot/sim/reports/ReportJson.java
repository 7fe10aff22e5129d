package dev.parigot.sim.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MethodReport} as JSON, and back.
 *
 * <p>The version rule: a report names its schema as {@code parigot-sim/report/<major>.<minor>}.
 * A new minor version only adds fields, so a reader of {@code 1.x} reads any {@code 1.y}: fields
 * it does not know are ignored, fields a report lacks are null (or empty). A field removed,
 * renamed or given another meaning is a new major version, and a reader refuses a major version
 * other than its own with a sentence that says so.
 */
public final class ReportJson {
    /** The JSON Schema of this version's reports, a resource of this module. */
    public static final String SCHEMA_RESOURCE = "/dev/parigot/sim/reports/report-1.schema.json";

    private static final Pattern SCHEMA_FORM = Pattern.compile("parigot-sim/report/(\\d+)(?:\\.(\\d+))?");
    private static final int MAJOR = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * Two spaces a level, {@code "key": value}, one element of an array a line, {@code {}} and
     * {@code []} when empty, {@code \n} line ends.
     */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ReportJson() {
    }

    /** The report as JSON text, ending with a line end. */
    public static String toJson(MethodReport report) {
        try {
            return WRITER.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new ReportException("cannot write the report of " + report.name() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes the report to {@code directory}/{@link MethodReport#fileName()}; returns that file. */
    public static Path write(Path directory, MethodReport report) {
        Path file = directory.resolve(report.fileName());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Reads the report in {@code file}; a report of another major schema version is refused. */
    public static MethodReport read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report " + file + ": " + e.getMessage(), e);
        }
        return fromJson(text, file.toString());
    }

    /** Reads a report from JSON text; {@code source} names it in errors (a file name, say). */
    public static MethodReport fromJson(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ReportException(source + " is not valid JSON (" + e.getOriginalMessage()
                    + "): it is not a Parigot Sim report, or it was cut short; run the test again to write it anew", e);
        }
        checkSchema(tree, source);
        try {
            return MAPPER.treeToValue(tree, MethodReport.class);
        } catch (JsonProcessingException e) {
            throw new ReportException(source + " is not a Parigot Sim report of schema " + MethodReport.SCHEMA + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void checkSchema(JsonNode tree, String source) {
        JsonNode schema = tree == null || !tree.isObject() ? null : tree.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new ReportException(source + " is not a Parigot Sim report: it has no \"schema\" field (a report"
                    + " names its schema, \"schema\": \"" + MethodReport.SCHEMA + "\"); a summary written before"
                    + " reports had a schema cannot be merged: run its test again");
        }
        Matcher m = SCHEMA_FORM.matcher(schema.asText());
        if (!m.matches()) {
            throw new ReportException(source + " has the schema \"" + schema.asText() + "\", which is not a Parigot"
                    + " Sim report's (parigot-sim/report/<major>.<minor>, this version reads "
                    + MethodReport.SCHEMA + ")");
        }
        int major = Integer.parseInt(m.group(1));
        if (major != MAJOR) {
            throw new ReportException(source + " is a report of schema " + schema.asText() + " (major version "
                    + major + "); this version of Parigot Sim reads major version " + MAJOR + " ("
                    + MethodReport.SCHEMA + " and later 1.x) only: read it with the Parigot Sim version that wrote"
                    + " it, or run the test again with this one");
        }
    }
}
