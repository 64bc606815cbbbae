package com.mailtrail.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConvertCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Result(int status, List<JsonNode> entries, String stderr) {
    }

    static byte[] seed() throws IOException {
        try (InputStream in = ConvertCommandTest.class.getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            return in.readAllBytes();
        }
    }

    static Result convert(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConvertCommand.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<JsonNode> entries = out.toString(StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
        return new Result(status, entries, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void seedDocumentPrintsItsFiveEntriesWithTheirFacts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seed.txt");
        Files.write(file, seed());
        Result r = convert(new byte[0], file.toString());
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.entries()).extracting(e -> e.get("code").asString()).containsExactly("E", "Q", "Q", "Q", "D");
        assertThat(r.entries()).extracting(e -> e.get("time").asString()).containsExactly(
                "1998-01-15T10:31:05.18", "1998-01-15T10:31:10.37", "1998-01-15T12:45:39.48",
                "1998-01-15T16:45:24.72", "1998-01-15T20:45:51.55");
        JsonNode enqueue = r.entries().get(0);
        assertThat(enqueue.get("sourceChannel").asString()).isEqualTo("tcp_internal");
        assertThat(enqueue.get("destinationChannel").asString()).isEqualTo("tcp_local");
        assertThat(enqueue.get("sender").asString()).isEqualTo("adam@hosta.sesta.com");
        assertThat(enqueue.get("recipient").asString()).isEqualTo("user@some.org");
        assertThat(enqueue.get("originalRecipient").asString()).isEqualTo("user@some.org");
        assertThat(r.entries()).allSatisfy(e ->
                assertThat(e.get("messageId").asString()).isEqualTo("<01IRUD7SVA3Q9UN2D4@sesta.com>"));
        assertThat(r.entries().subList(1, 4)).extracting(e -> e.get("queueAttempts").asInt()).containsExactly(0, 1, 2);
        assertThat(r.entries().subList(1, 4)).extracting(e -> e.get("category").asString())
                .containsExactly("network", "network", "refused");
        assertThat(r.entries().subList(1, 4)).allSatisfy(e -> assertThat(e.get("permanent").asBoolean()).isFalse());
        JsonNode delivered = r.entries().get(4);
        assertThat(delivered.get("remoteHost").asString()).isEqualTo("host.some.org");
        assertThat(delivered.get("remoteIp").asString()).isEqualTo("192.1.1.1");
        assertThat(delivered.get("remotePort").asInt()).isEqualTo(25);
        assertThat(delivered.get("smtpCode").asInt()).isEqualTo(250);
        assertThat(delivered.get("banner").asString()).isEqualTo("All set, fire away");
        assertThat(delivered.has("category")).isFalse();
        assertThat(delivered.get("file").asString()).isEqualTo(file.toString());
        assertThat(delivered.get("line").asInt()).isEqualTo(40);
    }

    @Test
    void readsStandardInputAndGzipIncludingConcatenatedMembers(@TempDir Path dir) throws IOException {
        String a = "19-Jan-1998 19:16:57.64 l            tcp_local    E 1 adam@sesta.com rfc822;marlowe@siroe.com marlowe@siroe.com\n";
        String b = "19-Jan-1998 19:17:01.16 tcp_local                 D 1 adam@sesta.com rfc822;marlowe@siroe.com marlowe@siroe.com dns;thor.siroe.com smtp;250 ok\n";
        Path gz = dir.resolve("mail.log.gz");
        try (OutputStream out = Files.newOutputStream(gz)) {
            out.write(gzip(a));
            out.write(gzip(b));
        }
        Result fromGzip = convert(new byte[0], gz.toString());
        assertThat(fromGzip.entries()).extracting(e -> e.get("code").asString()).containsExactly("E", "D");
        Result fromStdin = convert((a + b).getBytes(StandardCharsets.US_ASCII), "-");
        assertThat(fromStdin.entries()).extracting(e -> e.get("code").asString()).containsExactly("E", "D");
        assertThat(fromStdin.entries().get(0).get("file").asString()).isEqualTo("-");
    }

    @Test
    void rejectedLinesGoToStandardErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mail.log_current");
        String good = "19-Jan-1998 19:16:57.64 l            tcp_local    E 1 adam@sesta.com rfc822;marlowe@siroe.com marlowe@siroe.com\n";
        Files.writeString(file, good + "19-Jan-1998 19:16:58.00 l\n" + good);
        Result r = convert(new byte[0], file.toString());
        assertThat(r.status()).isZero();
        assertThat(r.entries()).hasSize(2);
        assertThat(r.stderr().strip()).startsWith(file + ":2: ");
    }

    @Test
    void explicitOptionsAreUsed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mail.log");
        Files.writeString(file, "19-Jan-1998 19:16:57.64 l            tcp_local    E 1 adam@sesta.com "
                + "rfc822;marlowe@siroe.com marlowe@siroe.com  <01ISKLSKC2QC90N15M@sesta.com>\n");
        Result r = convert(new byte[0], "--options=filename,message_id", file.toString());
        assertThat(r.entries()).hasSize(1);
        assertThat(r.entries().get(0).has("queueFile")).isFalse();
        assertThat(r.entries().get(0).get("messageId").asString()).isEqualTo("<01ISKLSKC2QC90N15M@sesta.com>");
    }

    @Test
    void badArgumentsAndMissingFilesAreClearErrors() {
        Result unknown = convert(new byte[0], "--options=bogus", "x");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown log option 'bogus'");
        Result none = convert(new byte[0]);
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.stderr()).contains("name at least one log file");
        Result missing = convert(new byte[0], "/nonexistent/mail.log");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.stderr()).contains("/nonexistent/mail.log: no such file");
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    @Test
    void aDamagedGzipSaysWhatIsWrongNotNull(@TempDir Path dir) throws IOException {
        java.io.ByteArrayOutputStream real = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(real)) {
            out.write(seed());
        }
        Path magic = Files.write(dir.resolve("t2.gz"), new byte[] {0x1f, (byte) 0x8b});
        Path header = Files.write(dir.resolve("t10.gz"), java.util.Arrays.copyOf(real.toByteArray(), 10));

        for (Path damaged : List.of(magic, header)) {
            Result r = convert(new byte[0], damaged.toString());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.stderr()).startsWith("convert: " + damaged + ": ").doesNotContain("null")
                    .containsPattern("gzip|\\.gz file");
        }
    }
}
