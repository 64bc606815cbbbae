package com.mailtrail.ingest.upload;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.Bombs;
import com.mailtrail.ingest.DecompressionLimit;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.web.LocalHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A user uploading logs over real HTTP, into a real H2 database, read by the real engine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:upload-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.max-upload=1MB",
        "mailtrail.ingest.max-ratio=50",
        // read the rest of a refused body, so the client gets to see the 413 answer
        "server.tomcat.max-swallow-size=16MB"})
class UploadJourneyTest {

    @TempDir
    static Path uploads;

    @DynamicPropertySource
    static void uploadDir(DynamicPropertyRegistry registry) {
        registry.add("mailtrail.ingest.upload-dir", () -> uploads.toString());
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void seedDocumentIsReadInTheBackground() throws Exception {
        byte[] seed = resource("/logs/seed-multiple-delivery-attempts.txt");
        HttpResponse<String> posted = post(new Multipart().file("file", "seed-multiple-delivery-attempts.txt", seed));

        assertThat(posted.statusCode()).isEqualTo(202);
        JsonNode accepted = json.readTree(posted.body());
        String id = accepted.path("id").asString();
        assertThat(posted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/api/uploads/" + id));
        assertThat(accepted.path("files").path(0).path("name").asString())
                .isEqualTo("seed-multiple-delivery-attempts.txt");

        JsonNode job = awaitFinished(URI.create(posted.headers().firstValue("Location").orElseThrow()));
        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("entries").asLong()).isEqualTo(5);
        assertThat(job.path("rejected").asLong()).isZero();
        assertThat(job.path("messages").asLong()).isEqualTo(1);
        assertThat(job.path("bytesRead").asLong()).isEqualTo(seed.length).isEqualTo(job.path("bytesTotal").asLong());
        JsonNode file = job.path("files").path(0);
        assertThat(file.path("state").asString()).isEqualTo("done");
        assertThat(file.path("entries").asLong()).isEqualTo(5);
        assertThat(file.path("rejections").isArray()).isTrue();

        long source = job.path("sourceId").asLong();
        assertThat(jdbc.queryForObject("SELECT SUM(entries) FROM log_file WHERE source_id = ?", Long.class, source))
                .isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT status FROM recipient WHERE recipient = 'user@some.org'",
                String.class)).isEqualTo("delivered");
        assertThat(jdbc.queryForObject("SELECT kind || ' ' || state FROM log_source WHERE id = ?", String.class,
                source)).isEqualTo("upload done");
        assertNoFilesLeft();

        JsonNode listed = json.readTree(http.get("/api/uploads").body());
        assertThat(listed.valueStream().map(j -> j.path("id").asString())).contains(id);
        JsonNode sources = json.readTree(http.get("/api/sources").body());
        JsonNode mine = sources.valueStream().filter(s -> s.path("id").asLong() == source).findFirst().orElseThrow();
        assertThat(mine.path("kind").asString()).isEqualTo("upload");
        assertThat(mine.path("files").path(0).path("entries").asLong()).isEqualTo(5);
        assertThat(mine.path("files").path(0).path("lag").asLong()).isZero();
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotItsName() throws Exception {
        byte[] text = generate(300, 1);
        JsonNode job = upload(new Multipart().file("log", "mail.log_yesterday", gzip(text)));

        assertThat(job.path("state").asString()).isEqualTo("done");
        LogReader.Summary truth = parse(text);
        assertThat(job.path("entries").asLong()).isEqualTo(truth.entries());
        assertThat(job.path("rejected").asLong()).isEqualTo(truth.rejected());
        assertThat(job.path("bytesRead").asLong()).isEqualTo(job.path("bytesTotal").asLong());
        assertThat(jdbc.queryForObject("SELECT SUM(entries) FROM log_file WHERE source_id = ?", Long.class,
                job.path("sourceId").asLong())).isEqualTo(truth.entries());
    }

    @Test
    void multiMemberGzipAndSeveralFilesUnderAnyPartNames() throws Exception {
        byte[] text = generate(200, 2);
        int third = text.length / 3;
        int cut1 = lineEnd(text, third);
        int cut2 = lineEnd(text, 2 * third);
        // What `cat a.gz b.gz c.gz` gives: three gzip members in one file.
        byte[] members = concat(gzip(Arrays.copyOfRange(text, 0, cut1)), gzip(Arrays.copyOfRange(text, cut1, cut2)),
                gzip(Arrays.copyOfRange(text, cut2, text.length)));
        byte[] other = generate(50, 3);
        JsonNode job = upload(new Multipart().file("first", "day.log.gz", members)
                .file("whatever", "other.log", other));

        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("files").valueStream().map(f -> f.path("state").asString())).containsExactly("done",
                "done");
        assertThat(job.path("files").path(0).path("entries").asLong()).isEqualTo(parse(text).entries());
        assertThat(job.path("files").path(1).path("entries").asLong()).isEqualTo(parse(other).entries());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE source_id = ?", Long.class,
                job.path("sourceId").asLong())).isEqualTo(2);
    }

    @Test
    void rejectedLinesAreShownWithTheirLineAndReason() throws Exception {
        byte[] log = generate(40, 10);
        int cut = lineEnd(log, log.length / 2);
        byte[] bad = "this line is not an MTA log entry\n".getBytes(StandardCharsets.UTF_8);
        byte[] text = concat(Arrays.copyOfRange(log, 0, cut), bad, Arrays.copyOfRange(log, cut, log.length));
        long badLine = 1;
        for (int i = 0; i < cut; i++) {
            badLine += log[i] == '\n' ? 1 : 0;
        }
        JsonNode job = upload(new Multipart().file("file", "with-noise.log", text));

        assertThat(job.path("rejected").asLong()).isEqualTo(parse(text).rejected()).isEqualTo(1);
        JsonNode rejection = job.path("files").path(0).path("rejections").path(0);
        assertThat(rejection.path("line").asLong()).isEqualTo(badLine);
        assertThat(rejection.path("text").asString()).isEqualTo("this line is not an MTA log entry");
        assertThat(rejection.path("reason").asString()).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rejected_line r JOIN log_file f ON f.id = r.file_id "
                + "WHERE f.source_id = ?", Long.class, job.path("sourceId").asLong())).isEqualTo(1);
    }

    @Test
    void requestWithoutAFilePartIs400() throws Exception {
        HttpResponse<String> r = post(new Multipart().field("comment", "no file here"));
        assertError(r, 400, "no file");
        HttpResponse<String> plain = http.send(http.request("/api/uploads")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertError(plain, 400, "multipart/form-data");
    }

    @Test
    void emptyFileIs400() throws Exception {
        assertError(post(new Multipart().file("file", "mail.log_current", new byte[0])), 400,
                "mail.log_current is empty");
        assertError(post(new Multipart().file("file", "mail.log_current.gz", gzip(new byte[0]))), 400,
                "mail.log_current.gz is empty once decompressed");
        // nothing to read in any of them: refused, naming each
        assertError(post(new Multipart().file("a", "mail.log_current", new byte[0])
                .file("b", "connection.log_current.gz", gzip(new byte[0]))), 400,
                "mail.log_current is empty, connection.log_current.gz is empty once decompressed: nothing to read");
        assertNoFilesLeft();
    }

    @Test
    void anEmptyFileBesideOthersIsReadWithNoEntriesAndTheOthersAreStored() throws Exception {
        // A directory uploaded just after the nightly rotation: mail.log_current is freshly created, empty.
        byte[] yesterday = generate(30, 12);
        JsonNode job = upload(new Multipart().file("file", "mail.log_yesterday", yesterday)
                .file("file", "mail.log_current", new byte[0])
                .file("file", "connection.log_current.gz", gzip(new byte[0])));

        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        JsonNode files = job.path("files");
        assertThat(files.valueStream().map(f -> f.path("name").asString() + " " + f.path("state").asString() + " "
                + f.path("entries").asLong() + " " + f.path("error").isNull())).containsExactly(
                "mail.log_yesterday done " + parse(yesterday).entries() + " true",
                "mail.log_current done 0 true",
                "connection.log_current.gz done 0 true");
        assertThat(files.path(1).path("bytesTotal").asLong()).isZero();
        assertThat(jdbc.queryForList("SELECT name || ' ' || state || ' ' || lines || ' ' || entries FROM log_file "
                + "WHERE source_id = ? ORDER BY id", String.class, job.path("sourceId").asLong())).containsExactly(
                "mail.log_yesterday done " + parse(yesterday).lines() + " "
                        + parse(yesterday).entries(),
                "mail.log_current done 0 0", "connection.log_current.gz done 0 0");
        assertNoFilesLeft();
    }

    @Test
    void binaryGarbageIsRefusedAsNotText() throws Exception {
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        assertError(post(new Multipart().file("file", "mail.log", garbage)), 415, "does not look like a text log");
        // also when it is only inside a gzip
        assertError(post(new Multipart().file("file", "mail.log.gz", gzip(garbage))), 415, "mail.log.gz");
        assertNoFilesLeft();
    }

    @Test
    void uploadOverTheLimitIsAJson413() throws Exception {
        byte[] big = generate(3000, 4);
        assertThat(big.length).isGreaterThan(1 << 20);
        assertError(post(new Multipart().file("file", "big.log", Arrays.copyOf(big, (1 << 20) + 200_000))), 413,
                "the upload is larger than 1 MB (mailtrail.ingest.max-upload)");
    }

    @Test
    void theOver413SaysTheLimitInAUnitThatShowsIt() {
        assertThat(UploadErrors.size(org.springframework.util.unit.DataSize.ofMegabytes(2048))).isEqualTo("2048 MB");
        assertThat(UploadErrors.size(org.springframework.util.unit.DataSize.ofKilobytes(512))).isEqualTo("512 KB");
        assertThat(UploadErrors.size(org.springframework.util.unit.DataSize.ofBytes(1500))).isEqualTo("1500 bytes");
        assertThat(UploadErrors.size(org.springframework.util.unit.DataSize.ofKilobytes(1536))).isEqualTo("1536 KB");
    }

    @Test
    void sixtyRotatedLogsInOneUploadWithALongFileNameAreTaken() throws Exception {
        Multipart body = new Multipart();
        for (int i = 0; i < 60; i++) {
            body.file("file", String.format("part_%04d", i), generate(1, i));
        }
        body.file("file", "mail.log_" + "x".repeat(440) + "_2026-03-02.gz", gzip(generate(1, 99)));
        JsonNode job = upload(body);
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE source_id = ?", Long.class,
                job.path("sourceId").asLong())).isEqualTo(61);
        // shortened in the middle: its end still tells it apart
        assertThat(job.path("files").path(60).path("name").asString()).hasSize(255).startsWith("mail.log_xxx")
                .contains("…").endsWith("xxx_2026-03-02.gz");
    }

    @Test
    void tooManyFilesOrAnAbsurdFileNameIsRefusedForThatReason() throws Exception {
        Multipart many = new Multipart();
        for (int i = 0; i < 1001; i++) {
            many.file("file", String.format("part_%04d", i), "x\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertError(post(many), 413, "more than 1000 files in one upload (server.tomcat.max-part-count)");
        HttpResponse<String> longName = post(new Multipart().file("file", "y".repeat(5000), generate(1, 1)));
        assertError(longName, 400, "the headers of one of its parts (a file name?) are longer than 4 KB "
                + "(server.tomcat.max-part-header-size)");
        assertNoFilesLeft();
    }

    @Test
    void gzipBombIsRefusedByItsTrailer() throws Exception {
        assertError(post(new Multipart().file("file", "bomb.gz", gzip(Bombs.repeatedLine(20 << 20)))), 413,
                "max-ratio");
        assertNoFilesLeft();
    }

    @Test
    void aCutOffGzipIsReadUpToItsBreakNotRefusedAsABomb() throws Exception {
        // A copy of a .gz taken while it was still being written (or a partial download): its last four bytes are
        // deflate data, not the trailer, and most often claim far more than the ratio allows.
        byte[] text = generate(1500, 13);
        byte[] whole = gzip(text);
        byte[] cut = Bombs.cutWhereTheTrailerClaimsTooMuch(whole, whole.length * 2 / 3, 50);
        byte[] before = Bombs.readUpToTheBreak(cut);
        byte[] complete = Arrays.copyOf(before, Bombs.lastLineEnd(before));
        LogReader.Summary truth = parse(complete);
        assertThat(truth.entries()).isPositive();

        JsonNode job = upload(new Multipart().file("file", "mail.log_yesterday.gz", cut)
                .file("file", "after.log", generate(10, 14)));

        assertThat(job.path("state").asString()).isEqualTo("failed");
        JsonNode file = job.path("files").path(0);
        assertThat(file.path("state").asString()).isEqualTo("failed");
        assertThat(file.path("error").asString()).isEqualTo("mail.log_yesterday.gz: the input ends early, after "
                + "line " + truth.lines() + " (Unexpected end of ZLIB input stream: a truncated .gz file?); the lines "
                + "before it were stored");
        assertThat(file.path("entries").asLong()).isEqualTo(truth.entries());
        assertThat(job.path("files").path(1).path("state").asString()).isEqualTo("done");
        assertThat(jdbc.queryForObject("SELECT lines || ' ' || entries FROM log_file WHERE source_id = ? AND name = ?",
                String.class, job.path("sourceId").asLong(), "mail.log_yesterday.gz"))
                .isEqualTo(truth.lines() + " " + truth.entries());
        assertNoFilesLeft();
    }

    @Test
    void aCutOffGzipBombIsStillRefusedAtOnce() throws Exception {
        byte[] bomb = gzip(Bombs.repeatedLine(20 << 20));
        byte[] cut = Bombs.cutWhereTheTrailerClaimsTooMuch(bomb, bomb.length / 2, 50);
        long t0 = System.nanoTime();
        assertError(post(new Multipart().file("file", "bomb.gz", cut)), 413, "bomb.gz: decompresses to more than "
                + DecompressionLimit.limit(cut.length, 50) + " bytes, over 50 times its " + cut.length + " bytes");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refuse it").isLessThan(5000);
        assertNoFilesLeft();
    }

    @Test
    void gzipBombHiddenInAnEarlierMemberFailsItsFileWhileReadingAndTheNextFilesAreRead() throws Exception {
        byte[] good = generate(60, 5);
        // The trailer check sees only the last, small member; the counting stream catches the first.
        byte[] hidden = concat(gzip(Bombs.repeatedLine(20 << 20)), gzip("just a line\n".getBytes(StandardCharsets.UTF_8)));
        JsonNode job = upload(new Multipart().file("a", "good.log", good).file("b", "hidden.gz", hidden)
                .file("c", "after.log", generate(10, 6)));

        assertThat(job.path("state").asString()).isEqualTo("failed");
        JsonNode files = job.path("files");
        assertThat(files.valueStream().map(f -> f.path("state").asString())).containsExactly("done", "failed",
                "done");
        assertThat(files.path(1).path("error").asString()).contains("hidden.gz", "max-ratio");
        assertThat(job.path("error").asString()).contains("hidden.gz", "max-ratio");
        // what the file before it brought stays, and the one after it is read
        assertThat(jdbc.queryForObject("SELECT SUM(entries) FROM log_file WHERE source_id = ? AND name <> ?",
                Long.class, job.path("sourceId").asLong(), "hidden.gz"))
                .isEqualTo(parse(good).entries() + parse(generate(10, 6)).entries());
        assertThat(jdbc.queryForObject("SELECT state FROM log_source WHERE id = ?", String.class,
                job.path("sourceId").asLong())).isEqualTo("failed");
        assertNoFilesLeft();
    }

    @Test
    void corruptGzipFailsTheJobAndKeepsEarlierFiles() throws Exception {
        byte[] good = generate(40, 8);
        byte[] corrupt = gzip(generate(100, 9));
        for (int i = corrupt.length / 2; i < corrupt.length / 2 + 64; i++) {
            corrupt[i] ^= 0x5a;
        }
        JsonNode job = upload(new Multipart().file("a", "good.log", good).file("b", "broken.gz", corrupt));

        assertThat(job.path("state").asString()).isEqualTo("failed");
        assertThat(job.path("error").asString()).contains("broken.gz", "corrupt");
        assertThat(job.path("files").path(0).path("state").asString()).isEqualTo("done");
        assertThat(job.path("files").path(1).path("state").asString()).isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT entries FROM log_file WHERE source_id = ? AND name = 'good.log'",
                Long.class, job.path("sourceId").asLong())).isEqualTo(parse(good).entries());
    }

    /** A line over 64 KiB is stored cut: the status says how many and where, as it does for rejected lines. */
    @Test
    void linesStoredCutAreCountedWithTheirLineNumbers() throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>(new String(generate(20, 8), StandardCharsets.UTF_8)
                .lines().toList());
        lines.add(2, LONG_LINE);
        lines.add(5, LONG_LINE.replace("55802", "55803"));
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

        JsonNode job = upload(new Multipart().file("file", "with-long-lines.log", text));

        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("cut").asLong()).isEqualTo(2);
        JsonNode file = job.path("files").path(0);
        assertThat(file.path("cut").asLong()).isEqualTo(2);
        assertThat(file.path("cutLines").valueStream().map(JsonNode::asLong)).containsExactly(3L, 6L);
        // The sentence the card shows is the server's, the one the Sources page shows beside the file
        assertThat(file.path("cutNote").asString())
                .isEqualTo("2 lines longer than 64 KiB stored cut to that length: lines 3 and 6");
        JsonNode sources = json.readTree(http.get("/api/sources").body());
        JsonNode stored = sources.valueStream().filter(s -> s.path("id").asLong() == job.path("sourceId").asLong())
                .findFirst().orElseThrow().path("files").path(0);
        assertThat(stored.path("cut").asLong()).isEqualTo(2);
        assertThat(stored.path("cutLines").valueStream().map(JsonNode::asLong)).containsExactly(3L, 6L);

        // The same lines again are duplicates: not stored, so not stored cut either
        JsonNode again = upload(new Multipart().file("file", "again.log", text));
        assertThat(again.path("files").path(0).path("cut").asLong()).isZero();
        assertThat(again.path("files").path(0).path("cutLines").isEmpty()).isTrue();
        assertThat(again.path("files").path(0).path("cutNote").isNull()).isTrue();
    }

    /** A connection entry with 70,000 bytes of junk after it: over the 64 KiB a line is stored to. */
    static final String LONG_LINE = "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O "
            + "TCP|192.0.2.25|25|203.0.113.29|55802 SMTP " + "x".repeat(70_000);

    @Test
    void unknownUploadIsA404WithAMessage() throws Exception {
        assertError(http.get("/api/uploads/no-such-job"), 404, "no upload no-such-job");
    }

    // ---- helpers ----

    private JsonNode upload(Multipart body) throws Exception {
        HttpResponse<String> posted = post(body);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return awaitFinished(URI.create(posted.headers().firstValue("Location").orElseThrow()));
    }

    private JsonNode awaitFinished(URI status) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(status).GET());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode job = json.readTree(r.body());
            String state = job.path("state").asString();
            if (state.equals("done") || state.equals("failed")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("upload " + status + " did not finish in time");
    }

    private HttpResponse<String> post(Multipart body) {
        return http.send(http.request("/api/uploads").header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    private void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(json.readTree(r.body()).path("error").asString()).contains(message);
    }

    private void assertNoFilesLeft() throws IOException {
        try (Stream<Path> left = Files.list(uploads)) {
            assertThat(left).isEmpty();
        }
    }

    private static byte[] generate(int messages, long seed) {
        StringWriter w = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static LogReader.Summary parse(byte[] text) throws IOException {
        return new LogReader(LogOptions.auto()).read(new ByteArrayInputStream(text), new LogReader.Sink() {
            @Override
            public void entry(Entry entry) {
            }

            @Override
            public void rejected(LogReader.Rejection rejection) {
            }
        });
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }


    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int lineEnd(byte[] text, int from) {
        int i = from;
        while (i < text.length && text[i] != '\n') {
            i++;
        }
        return Math.min(i + 1, text.length);
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
