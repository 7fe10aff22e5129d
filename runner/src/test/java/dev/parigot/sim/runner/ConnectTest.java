package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.samples.shop.v1.GetRecordRequest;
import dev.parigot.sim.samples.shop.v1.Record;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connect unary over HTTP/1.1 to the shop's catalog unit: what curl would send, with application/proto. */
class ConnectTest {
    static UnitHost unit;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        unit = UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog")).log(Modules::failuresOnly)
                .start();
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    static HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(unit.connectUrl().orElseThrow() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aConnectUnaryPostWithProtoBytesGetsTheRecord() throws Exception {
        HttpResponse<byte[]> response = post("/shop.v1.Catalog/Get", "application/proto",
                GetRecordRequest.newBuilder().setSku("verve-8526").build().toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/proto");
        assertThat(Record.parseFrom(response.body()).getTitle()).isEqualTo("Getz/Gilberto");
    }

    @Test
    void aGuestStatusIsAConnectErrorWithItsHttpStatus() throws Exception {
        HttpResponse<byte[]> notFound = post("/shop.v1.Catalog/Get", "application/proto",
                GetRecordRequest.newBuilder().setSku("nope").build().toByteArray());
        HttpResponse<byte[]> noService = post("/shop.v1.Vault/Open", "application/proto", new byte[0]);
        HttpResponse<byte[]> json = post("/shop.v1.Catalog/Get", "application/json", "{}".getBytes());

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(new String(notFound.body())).startsWith("{\"code\":\"not_found\"");
        assertThat(noService.statusCode()).isEqualTo(404);
        assertThat(new String(noService.body())).startsWith("{\"code\":\"unimplemented\"");
        assertThat(json.statusCode()).isEqualTo(415);
    }

    @Test
    void connectCodesAreTheGrpcNamesInLowerCase() {
        assertThat(ConnectIn.code(Status.CANCELLED)).isEqualTo("canceled");
        assertThat(ConnectIn.code(Status.RESOURCE_EXHAUSTED)).isEqualTo("resource_exhausted");
        assertThat(ConnectIn.httpStatus(Status.UNAVAILABLE)).isEqualTo(503);
        assertThat(ConnectIn.httpStatus(Status.UNIMPLEMENTED)).isEqualTo(501);
    }
}
