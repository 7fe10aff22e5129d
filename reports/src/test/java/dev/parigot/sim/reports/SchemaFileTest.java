package dev.parigot.sim.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schema shipped with the module names exactly the fields the model writes. */
class SchemaFileTest {
    @Test
    void theSchemaFileDescribesEveryFieldOfEveryRecordAndNoOther() throws IOException {
        JsonNode schema;
        try (InputStream in = ReportJson.class.getResourceAsStream(ReportJson.SCHEMA_RESOURCE)) {
            assertThat(in).as(ReportJson.SCHEMA_RESOURCE).isNotNull();
            schema = new ObjectMapper().readTree(in);
        }
        JsonNode defs = schema.get("$defs");

        assertThat(names(schema.get("properties"))).containsExactlyElementsOf(components(MethodReport.class));
        assertThat(names(defs.get("seedsCovered").get("properties"))).containsExactlyElementsOf(
                components(SeedsCovered.class));
        assertThat(names(defs.get("sweep").get("properties"))).containsExactlyElementsOf(
                components(SeedsCovered.Sweep.class));
        assertThat(names(defs.get("failure").get("properties"))).containsExactlyElementsOf(
                components(FailureReport.class));
        assertThat(names(defs.get("shrunk").get("properties"))).containsExactlyElementsOf(
                components(ShrinkReport.class));
        assertThat(names(defs.get("assertion").get("properties"))).containsExactlyElementsOf(
                components(AssertionReport.class));
        assertThat(schema.get("properties").get("schema").get("pattern").asText()).isEqualTo(
                "^parigot-sim/report/1(\\.[0-9]+)?$");
        assertThat(MethodReport.SCHEMA).matches(schema.get("properties").get("schema").get("pattern").asText());
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
