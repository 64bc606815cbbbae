package com.mailtrail.parse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogReaderTest {

    static final String E = "15-Jan-1998 10:31:05.18 tcp_intranet tcp_local    E 3 adam@hosta.sesta.com "
            + "rfc822;user@some.org user@some.org imta/queue/tcp_local/ZZ01IS3D2ZP7FQ9UN54R.00 "
            + "<01IRUD7SVA3Q9UN2D4@sesta.com>";
    static final String Q = "15-Jan-1998 10:31:10.37 tcp_local                 Q 3 adam@hosta.sesta.com "
            + "rfc822;user@some.org user@some.org imta/queue/tcp_local/ZZ01IS3D2ZP7FQ9UN54R.00 "
            + "<01IRUD7SVA3Q9UN2D4@sesta.com> TCP active open: Failed connect()    Error: no route to host";

    @Test
    void seedDocumentGivesItsFiveEntriesAndNoErrors() {
        Parsed p = Parsed.resource("/logs/seed-multiple-delivery-attempts.txt");
        assertThat(p.entries()).extracting(e -> ((MessageEntry) e).code()).containsExactly("E", "Q", "Q", "Q", "D");
        assertThat(p.rejections()).isEmpty();
        assertThat(p.summary().folded()).isTrue();
        assertThat(p.entries()).extracting(e -> ((MessageEntry) e).queueFile().attempts())
                .containsExactly(0, 0, 1, 2, 2);
        assertThat(p.message(0).time()).isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 31, 5, 180_000_000));
        assertThat(p.message(4).time()).isEqualTo(LocalDateTime.of(1998, 1, 15, 20, 45, 51, 550_000_000));
        assertThat(p.message(0).sourceChannel()).isEqualTo("tcp_internal");
        assertThat(p.message(0).destinationChannel()).isEqualTo("tcp_local");
        assertThat(p.message(3).diagnostic()).isEqualTo("TCP active open: Failed connect() Error: connection refused");
        assertThat(p.message(4).diagnostic())
                .isEqualTo("dns;host.some.org (TCP|206.184.139.12|2788|192.1.1.1|25) (All set, fire away) smtp; 250 Ok");
        assertThat(p.entries()).extracting(Entry::line).containsExactly(11L, 16L, 24L, 32L, 40L);
    }

    /** First and last physical line of each entry, as the reader reports them. */
    private static List<long[]> spans(String text) throws IOException {
        List<long[]> spans = new ArrayList<>();
        new LogReader(LogOptions.auto()).read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                new LogReader.Sink() {
                    @Override
                    public void entry(Entry entry) {
                        throw new AssertionError("the reader hands entries over with their last line");
                    }

                    @Override
                    public void entry(Entry entry, long lastLine) {
                        spans.add(new long[]{entry.line(), lastLine});
                    }

                    @Override
                    public void rejected(LogReader.Rejection rejection) {
                    }
                });
        return spans;
    }

    @Test
    void eachEntryComesWithItsLastPhysicalLine() throws IOException {
        String seed;
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // folded: from the time stamp to the last line joined, before the blank line or the prose
        assertThat(spans(seed)).containsExactly(new long[]{11, 14}, new long[]{16, 20}, new long[]{24, 28},
                new long[]{32, 36}, new long[]{40, 46});
        assertThat(spans(E + "\n" + Q + "\n")).containsExactly(new long[]{1, 1}, new long[]{2, 2});
        assertThat(EntryLines.mayContinue(Q)).isFalse();
        assertThat(EntryLines.mayContinue(null)).isFalse();
        assertThat(EntryLines.mayContinue("  adam@hosta.sesta.com rfc822;user@some.org user@some.org")).isTrue();
    }

    @Test
    void crlfLineEndsAreAccepted() {
        Parsed p = Parsed.text(E + "\r\n" + Q + "\r\n");
        assertThat(p.entries()).hasSize(2);
        assertThat(p.message(1).diagnostic()).endsWith("no route to host");
        assertThat(p.rejections()).isEmpty();
    }

    @Test
    void aLeadingByteOrderMarkIsSkippedAndOffsetsStillCountIt() {
        // as a Windows editor saves it: UTF-8 BOM, then CRLF lines
        Parsed p = Parsed.text("\ufeff" + E + "\r\n" + Q + "\r\n");
        assertThat(p.rejections()).isEmpty();
        assertThat(p.entries()).hasSize(2);
        assertThat(p.entries()).extracting(Entry::offset).containsExactly(3L, 3L + E.length() + 2);
        assertThat(p.summary().end()).isEqualTo(3L + E.length() + 2 + Q.length() + 2);
    }

    @Test
    void aByteOrderMarkAfterTheFirstLineIsNotSkipped() {
        Parsed p = Parsed.text(E + "\n\ufeff" + Q + "\n");
        assertThat(p.entries()).hasSize(1);
        assertThat(p.rejections()).hasSize(1);
    }

    @Test
    void aLastLineWithoutItsEndIsRejectedAsIncomplete() {
        // a copy of a log taken while the MTA wrote its last line: the line may be cut anywhere, even after a field
        Parsed p = Parsed.text(E + "\n" + Q);
        assertThat(p.entries()).hasSize(1);
        assertThat(p.rejections()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(2);
            assertThat(r.reason()).isEqualTo(LogReader.INCOMPLETE);
            assertThat(r.text()).isEqualTo(Q);
        });
    }

    @Test
    void overlongLineIsCutAndFlaggedAndTheNextLineStillRead() {
        String longDiag = "x".repeat(200_000);
        Parsed p = Parsed.text(Q + " " + longDiag + "\n" + E + "\n");
        assertThat(p.entries()).hasSize(2);
        assertThat(p.entries().get(0).truncated()).isTrue();
        assertThat(p.message(0).diagnostic().length()).isLessThan(LogReader.MAX_LINE);
        assertThat(p.entries().get(1).truncated()).isFalse();
        assertThat(p.entries().get(1).line()).isEqualTo(2);
        assertThat(p.summary().lines()).isEqualTo(2);
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsLatin1() {
        byte[] line = (Q.replace("no route to host", "caf\u00e9") + "\n").getBytes(StandardCharsets.ISO_8859_1);
        Parsed p = Parsed.bytes(line, LogOptions.auto());
        assertThat(p.message(0).diagnostic()).endsWith("caf\u00e9");
        byte[] utf8 = (Q.replace("no route to host", "caf\u00e9") + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Parsed.bytes(utf8, LogOptions.auto()).message(0).diagnostic()).endsWith("caf\u00e9");
    }

    @Test
    void oneByteReadsGiveTheSameEntriesAsOneBigRead() throws IOException {
        byte[] all;
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in.readAllBytes());
            out.write(("\n" + E + "\n" + Q + "\n").getBytes(StandardCharsets.UTF_8));
            all = out.toByteArray();
        }
        Parsed whole = Parsed.bytes(all, LogOptions.auto());
        Parsed trickle = Parsed.stream(new OneByteAtATime(all), LogOptions.auto());
        assertThat(trickle.entries()).isEqualTo(whole.entries());
        assertThat(trickle.rejections()).isEqualTo(whole.rejections());
        assertThat(whole.entries()).hasSize(7);
    }

    @Test
    void garbageInARealLogIsReportedWithItsLineNumber() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            log.append(E).append('\n');
        }
        log.append("this is not a log line\n");
        log.append("15-Jan-1998 10:31:10.37 tcp_local\n");
        log.append(Q).append('\n');
        Parsed p = Parsed.text(log.toString());
        assertThat(p.entries()).hasSize(4);
        assertThat(p.rejections()).extracting(LogReader.Rejection::line).containsExactlyInAnyOrder(4L, 5L);
        assertThat(p.rejections()).extracting(LogReader.Rejection::text)
                .contains("this is not a log line");
        assertThat(p.summary().rejected()).isEqualTo(2);
    }

    @Test
    void offsetsPointAtTheLineInTheFile() {
        String text = E + "\n" + Q + "\n";
        Parsed p = Parsed.text(text);
        assertThat(p.entries().get(0).offset()).isZero();
        assertThat(p.entries().get(1).offset()).isEqualTo(E.length() + 1);
    }

    @Test
    void largeInputCrossesBufferBoundariesWithoutLosingLines() {
        StringBuilder log = new StringBuilder();
        int n = 30_000; // ~5 MB: several refills of the 1 MiB buffer
        for (int i = 0; i < n; i++) {
            log.append(i % 2 == 0 ? E : Q).append('\n');
        }
        Parsed p = Parsed.text(log.toString());
        assertThat(p.entries()).hasSize(n);
        assertThat(p.rejections()).isEmpty();
        assertThat(p.entries().get(n - 1).line()).isEqualTo(n);
    }

    @Test
    void aRepeatedDateIsReusedOnlyForTheSameDateBytes() {
        String vms = "02-Mar-2026 00:00:02.24 498d7.2d.0 tcp_submit   +            O TCP|192.0.2.25|587|10.2.1.9|546 SMTP";
        String log = vms + "\n"
                + vms.replace("02-Mar-2026 00:00:02.24", "2026-03-05T01:02:03.04") + "\n"
                + vms.replace("00:00:02.24", "23:59:59.99") + "\n"
                + vms.replace("00:00:02.24", "24:00:00.00") + "\n"
                + vms.replace("02-Mar-2026", "03-MAR-2026") + "\n"
                + vms.replace("02-Mar-2026", "30-Feb-2026") + "\n";
        Parsed p = Parsed.text(log);
        assertThat(p.entries()).extracting(Entry::time).containsExactly(
                LocalDateTime.of(2026, 3, 2, 0, 0, 2, 240_000_000),
                LocalDateTime.of(2026, 3, 5, 1, 2, 3, 40_000_000),
                LocalDateTime.of(2026, 3, 2, 23, 59, 59, 990_000_000),
                LocalDateTime.of(2026, 3, 3, 0, 0, 2, 240_000_000));
        assertThat(p.rejections()).extracting(LogReader.Rejection::line).containsExactly(4L, 6L);
    }

    @Test
    void aNonAsciiLineAmongAsciiLinesIsDecodedOnItsOwn() {
        String utf8 = Q.replace("adam@hosta", "jos\u00e9@hosta");
        StringBuilder log = new StringBuilder();
        // Put the UTF-8 line across the first refill of the 1 MiB buffer, with ASCII lines on both sides.
        while (log.length() < (1 << 20) - 60) {
            log.append(E).append('\n');
        }
        log.append(utf8).append('\n').append(E).append('\n').append(utf8).append('\n').append(Q).append('\n');
        Parsed p = Parsed.bytes(log.toString().getBytes(StandardCharsets.UTF_8), LogOptions.auto());
        int n = p.entries().size();
        assertThat(p.rejections()).isEmpty();
        assertThat(p.message(n - 4).sender()).isEqualTo("jos\u00e9@hosta.sesta.com");
        assertThat(p.message(n - 3).sender()).isEqualTo("adam@hosta.sesta.com");
        assertThat(p.message(n - 2).sender()).isEqualTo("jos\u00e9@hosta.sesta.com");
        assertThat(p.message(n - 1).diagnostic()).endsWith("no route to host");
    }

    @Test
    void aLineThatBreaksTheLearnedFieldsMidFileStillParsesRight() {
        String head = "02-Mar-2026 00:00:06.88 498d7.30.3 tcp_intranet tcp_local    EE 7 backup-report@example.com "
                + "rfc822;carla.berg@example.com carla.berg@example.com";
        String file = " /opt/q/tcp_local/018/ZZf00000g6lQf.01";
        String id = " <49c3091d128de61a.bda929@example.com>";
        String source = " erp.corp.example.com (erp.corp.example.com [10.1.0.12])";
        String trailing = "  TCP|10.0.0.25|25|10.1.0.12|21895 SMTP";
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            log.append(head).append(file).append(id).append(source).append(trailing).append('\n');
        }
        log.append(head).append(file).append(source).append(trailing).append('\n'); // no message id
        log.append(head).append(file).append(id).append('\n'); // no source system, transport or application
        log.append(head).append(file).append(id).append(source).append(trailing).append(" 1234\n"); // queue time
        log.append(head).append(file).append(id).append(source).append(trailing).append('\n');
        Parsed p = Parsed.text(log.toString());
        assertThat(p.rejections()).isEmpty();
        MessageEntry noId = p.message(50);
        assertThat(noId.messageId()).isNull();
        assertThat(noId.queueFile().path()).isEqualTo("/opt/q/tcp_local/018/ZZf00000g6lQf.01");
        assertThat(noId.sourceSystem()).isEqualTo("erp.corp.example.com (erp.corp.example.com [10.1.0.12])");
        assertThat(noId.transport()).isEqualTo("TCP|10.0.0.25|25|10.1.0.12|21895");
        MessageEntry bare = p.message(51);
        assertThat(bare.messageId()).isEqualTo("<49c3091d128de61a.bda929@example.com>");
        assertThat(bare.sourceSystem()).isNull();
        assertThat(bare.transport()).isNull();
        assertThat(bare.application()).isNull();
        assertThat(bare.diagnostic()).isNull();
        MessageEntry timed = p.message(52);
        assertThat(timed.queueTime()).isEqualTo(1234L);
        assertThat(timed.application()).isEqualTo("SMTP");
        assertThat(timed.transport()).isEqualTo("TCP|10.0.0.25|25|10.1.0.12|21895");
        assertThat(p.message(53)).usingRecursiveComparison().ignoringFields("line", "offset").isEqualTo(p.message(0));
    }

    @Test
    void calloutMarkerIsRecognisedOnlyAfterABlank() {
        byte[] b = "E 3          (1)".getBytes(StandardCharsets.US_ASCII);
        assertThat(LogReader.calloutStart(b, 0, b.length)).isEqualTo(13);
        byte[] c = "connect()".getBytes(StandardCharsets.US_ASCII);
        assertThat(LogReader.calloutStart(c, 0, c.length)).isEqualTo(-1);
        byte[] d = "host(12)".getBytes(StandardCharsets.US_ASCII);
        assertThat(LogReader.calloutStart(d, 0, d.length)).isEqualTo(-1);
    }

    /** An input stream that hands out one byte per read, as a slow pipe might. */
    @Test
    void inputThatBreaksOffHandsOverItsCompleteLinesAndSaysWhereItStopped() {
        // three whole lines, then half of the fourth when the gzip data ends
        String text = E + "\n" + Q + "\n" + E + "\n" + Q.substring(0, 60);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream breaking = new FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, Math.min(len, 100));
                if (n < 0) {
                    throw new java.io.EOFException("Unexpected end of ZLIB input stream");
                }
                return n;
            }
        };
        List<Entry> entries = new ArrayList<>();
        List<LogReader.Rejection> rejections = new ArrayList<>();
        long[] checkpoint = new long[2];
        LogReader.Sink sink = new LogReader.Sink() {
            @Override
            public void entry(Entry entry) {
                entries.add(entry);
            }

            @Override
            public void rejected(LogReader.Rejection rejection) {
                rejections.add(rejection);
            }

            @Override
            public void checkpoint(long lines, long offset) {
                checkpoint[0] = lines;
                checkpoint[1] = offset;
            }
        };
        assertThatThrownBy(() -> new LogReader(LogOptions.auto()).read(breaking, sink))
                .isInstanceOfSatisfying(LogReader.InputBrokeOff.class, e -> {
                    assertThat(e.summary().lines()).isEqualTo(3);
                    assertThat(e.summary().end()).isEqualTo(2L * E.length() + Q.length() + 3);
                    assertThat(e.summary().entries()).isEqualTo(3);
                })
                .hasMessage("the input ends early, after line 3 (Unexpected end of ZLIB input stream: a truncated "
                        + ".gz file?)");
        assertThat(entries).hasSize(3);
        assertThat(rejections).as("the half line is lost, not rejected").isEmpty();
        assertThat(checkpoint).containsExactly(3, 2L * E.length() + Q.length() + 3);
    }

    static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(byte[] data) {
            super(new java.io.ByteArrayInputStream(data));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    @Test
    void equalEntriesCompareEqual() {
        // records: the 1-byte test relies on value equality of entries
        assertThat(Parsed.text(E).entries()).isEqualTo(Parsed.text(E).entries());
        assertThat(Arrays.asList(1, 2)).hasSize(2);
    }

    @Test
    void partialLastLineIsLeftForLaterWhenTailing() throws IOException {
        String text = E + "\n" + Q.substring(0, 40);
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        long[] last = new long[2];
        LogReader.Summary s = new LogReader(LogOptions.auto()).read(
                new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), new LogReader.Sink() {
                    @Override
                    public void entry(Entry entry) {
                        entries.add(entry);
                    }

                    @Override
                    public void rejected(LogReader.Rejection rejection) {
                        throw new AssertionError(rejection.toString());
                    }

                    @Override
                    public void checkpoint(long lines, long offset) {
                        assertThat(lines).isGreaterThanOrEqualTo(last[0]);
                        assertThat(offset).isGreaterThanOrEqualTo(last[1]);
                        last[0] = lines;
                        last[1] = offset;
                    }
                }, 0, 0, true);
        assertThat(entries).hasSize(1);
        assertThat(s.end()).isEqualTo(E.length() + 1);
        assertThat(last).containsExactly(1, E.length() + 1);
    }

    @Test
    void resumedReadContinuesLineNumbersAndOffsets() throws IOException {
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        byte[] rest = (Q + "\n" + E + "\n").getBytes(StandardCharsets.US_ASCII);
        LogReader.Summary s = new LogReader(LogOptions.auto()).read(new java.io.ByteArrayInputStream(rest),
                new LogReader.Sink() {
                    @Override
                    public void entry(Entry entry) {
                        entries.add(entry);
                    }

                    @Override
                    public void rejected(LogReader.Rejection rejection) {
                    }
                }, 41, 10_000, true);
        assertThat(entries).extracting(Entry::line).containsExactly(42L, 43L);
        assertThat(entries.get(1).offset()).isEqualTo(10_000 + Q.length() + 1);
        assertThat(s.end()).isEqualTo(10_000 + rest.length);
    }
}
