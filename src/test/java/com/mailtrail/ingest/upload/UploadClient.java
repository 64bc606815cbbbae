package com.mailtrail.ingest.upload;

import com.mailtrail.web.LocalHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The upload API and JSON reads of an application started on a local port, as the journey tests use them. */
final class UploadClient {

    private final LocalHttp http;
    private final JsonMapper json = JsonMapper.builder().build();

    UploadClient(LocalHttp http) {
        this.http = http;
    }

    URI url(String path) {
        return URI.create(http.url(path));
    }

    JsonNode get(String path) {
        return get(url(path));
    }

    JsonNode get(URI uri) {
        return json.readTree(http.send(HttpRequest.newBuilder(uri)).body());
    }

    /** A page's HTML. */
    String page(String path) {
        return http.get(path).body();
    }

    /** DELETE: the answer's status code. */
    int delete(String path) {
        return http.send(http.request(path).DELETE()).statusCode();
    }

    /** Uploads one file (answered 202) and waits until its job is done or failed; the job's JSON. */
    JsonNode upload(String name, byte[] content) throws InterruptedException {
        return upload(new Multipart().file("file", name, content));
    }

    /** Uploads the files of {@code body} (answered 202) and waits as above. */
    JsonNode upload(Multipart body) throws InterruptedException {
        HttpResponse<String> posted = http.send(http.request("/api/uploads")
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        URI job = URI.create(posted.headers().firstValue("Location").orElseThrow());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode state = get(job);
        while (!state.path("state").asString().matches("done|failed") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            state = get(job);
        }
        return state;
    }
}
