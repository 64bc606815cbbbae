package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application of a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} class, over real HTTP:
 * {@code @RegisterExtension final LocalHttp http = new LocalHttp();}. A field rather than a base class, so that the
 * classes that already extend one (BrowserJourney, the H2 and PostgreSQL halves of a journey) take it the same way; it
 * reads the port from the test's own application context before each test, so no class needs a
 * {@code @LocalServerPort} of its own.
 */
public final class LocalHttp implements BeforeEachCallback {

    private final HttpClient client = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private ApplicationContext context;

    @Override
    public void beforeEach(ExtensionContext extension) {
        context = SpringExtension.getApplicationContext(extension);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** {@code path} (with its query, already encoded) on the application. */
    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    /**
     * The whole response, head and body, to a request line sent byte for byte with nothing else but Host and
     * Connection: close (curl sends a '<' or an encoded slash as typed; an HTTP client library would encode or refuse).
     */
    public String raw(String requestLine) throws IOException {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)));
    }

    /** The response, whatever its status; the body decoded as its Content-Type says (UTF-8 where it says nothing). */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(request(path));
    }

    /** The body of a GET that must answer {@code status}. */
    public String expect(int status, String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    /** The body of a GET that must answer 200. */
    public String ok(String path) {
        return expect(200, path);
    }

    /** The JSON of a GET that must answer 200. */
    public JsonNode json(String path) {
        return json.readTree(ok(path));
    }

    /**
     * Runs {@code load} if {@code table} is empty: the classes load their log in a {@code @BeforeEach} that finds its
     * application context, and so its in-memory database, already loaded from the second test on.
     */
    public void loadOnce(String table, Load load) throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        if (jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single() == 0) {
            load.run();
        }
    }

    /** Imports {@code text} once, as {@link #loadOnce}: the file {@code name} of a source of that name. */
    public void importOnce(String name, String text) throws Exception {
        loadOnce("message", () -> {
            IngestEngine engine = context.getBean(IngestEngine.class);
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        });
    }

    /** What {@link #loadOnce} runs: an import, which may throw. */
    @FunctionalInterface
    public interface Load {
        void run() throws Exception;
    }
}
