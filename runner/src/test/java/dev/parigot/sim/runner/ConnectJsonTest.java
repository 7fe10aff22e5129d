package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connect with JSON bodies: a unit given the services' descriptor set takes and answers
 * application/json, translated with protobuf's JsonFormat; curl can call a service.
 */
class ConnectJsonTest {
    /** Written by the protobuf plugin from the samples' .proto files (runner/pom.xml). */
    static final Path DESCRIPTORS = Path.of("target", "generated-test-resources", "protobuf", "descriptor-sets",
            "samples.desc");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<String> post(String url, String path, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aUnitWithTheDescriptorSetAnswersJsonAndSaysWhatIsWrong() throws Exception {
        try (UnitHost unit = UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog"))
                .descriptors(DESCRIPTORS).log(line -> { }).start()) {
            String url = unit.connectUrl().orElseThrow();

            HttpResponse<String> ok = post(url, "/shop.v1.Catalog/Get", "application/json", "{\"sku\": \"verve-8526\"}");
            HttpResponse<String> missing = post(url, "/shop.v1.Catalog/Get", "application/json", "{\"sku\": \"none\"}");
            HttpResponse<String> bad = post(url, "/shop.v1.Catalog/Get", "application/json", "{\"skew\": 1}");

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ok.body()).contains("\"title\": \"Getz/Gilberto\"").contains("\"priceCents\": \"2800\"");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"code\":\"not_found\"");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_argument").contains("shop.v1.GetRecordRequest");
        }
    }

    @Test
    void withoutTheDescriptorSetJsonIsRefusedNamingTheOption() throws Exception {
        try (UnitHost unit = UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog"))
                .log(line -> { }).start()) {
            HttpResponse<String> refused = post(unit.connectUrl().orElseThrow(), "/shop.v1.Catalog/Get",
                    "application/json", "{}");
            assertThat(refused.statusCode()).isEqualTo(415);
            assertThat(refused.body()).contains("--descriptors");
        }
    }

    @Test
    void aFileThatIsNotADescriptorSetIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.desc"), "not protobuf at all");
        assertThatThrownBy(() -> MessageTypes.load(junk)).hasMessageContaining("junk.desc");
        assertThatThrownBy(() -> MessageTypes.load(dir.resolve("none.desc")))
                .hasMessageContaining("cannot read the descriptor set");
    }

    /** The shop started from its manifest as processes with --descriptors; curl (when installed) buys a record with JSON. */
    @Test
    void curlWithJsonCallsTheShopStartedFromItsManifest() throws Exception {
        try (UnitProcesses units = UnitProcesses.start(ManifestRunTest.specs(), line -> { },
                List.of("--descriptors", DESCRIPTORS.toAbsolutePath().toString()))) {
            String stock = units.connectUrl("stock");
            String storefront = units.connectUrl("storefront");
            assertThat(post(stock, "/shop.v1.Inventory/SetStock", "application/json",
                    "{\"sku\": \"harvest-11163\", \"stock\": 100}").statusCode()).isEqualTo(200);
            String order = "{\"customer\": \"lin\", \"sku\": \"harvest-11163\", \"quantity\": 1}";
            HttpResponse<String> bought = null;
            for (int attempt = 1; attempt <= 10; attempt++) { // cold JVMs can miss the checkout's 100 ms deadlines
                bought = post(storefront, "/shop.v1.Checkout/Checkout", "application/json", order);
                if (bought.statusCode() != 504) {
                    break;
                }
            }
            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(200);
            assertThat(bought.body()).contains("\"totalCents\": \"3500\"").contains("\"orderId\": \"vv-");
            assertThat(post(stock, "/shop.v1.Inventory/SetStock", "application/json",
                    "{\"sku\": \"verve-8526\", \"stock\": 0}").statusCode()).isEqualTo(200);
            assertThat(post(stock, "/shop.v1.Inventory/Stock", "application/json", "{\"sku\": \"verve-8526\"}").body())
                    .as("a zero is printed, not left out").contains("\"stock\": 0");
            Path curl = Path.of("/usr/bin/curl");
            if (Files.isExecutable(curl)) {
                Process p = new ProcessBuilder(curl.toString(), "-s", "-X", "POST", "-H",
                        "Content-Type: application/json", "-d", "{\"sku\": \"harvest-11163\"}",
                        stock + "/shop.v1.Inventory/Stock").redirectErrorStream(true).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes());
                // Every attempt that timed out may still have reserved its record; the one that succeeded did.
                assertThat(out).contains("\"sku\": \"harvest-11163\"").containsPattern("\"stock\": ([0-9]|[1-9][0-9])\\b");
            }
        }
    }
}
