package com.mailtrail.ingest.upload;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The upload API and JSON reads of an application started on a local port, as the journey tests use them. */
final class UploadClient {

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    UploadClient(int port) {
        this.port = port;
    }

    URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return get(url(path));
    }

    JsonNode get(URI uri) throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    /** A page's HTML. */
    String page(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** DELETE: the answer's status code. */
    int delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** Uploads one file (answered 202) and waits until its job is done or failed; the job's JSON. */
    JsonNode upload(String name, byte[] content) throws IOException, InterruptedException {
        return upload(new Multipart().file("file", name, content));
    }

    /** Uploads the files of {@code body} (answered 202) and waits as above. */
    JsonNode upload(Multipart body) throws IOException, InterruptedException {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(url("/api/uploads"))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
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
