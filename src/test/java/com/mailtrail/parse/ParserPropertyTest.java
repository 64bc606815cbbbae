package com.mailtrail.parse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Random and mutated input never throws: every line ends up as an entry, a rejection or skipped prose. */
class ParserPropertyTest {

    private static final String[] REAL = {
            LogReaderTest.E, LogReaderTest.Q,
            "16-Feb-2007 15:41:34.73 tcp_local                 DE 1 adam@sesta.com rfc822;marlowe@siroe.com "
                    + "marlowe@siroe.com thor.siroe.com dns;thor.siroe.com (TCP|206.184.139.12|2788|192.160.253.66|25) "
                    + "(thor.siroe.com ESMTP Sendmail ready Thu 15 Feb 2007 21:37:29 -0700 [MST]) smtp;250 2.1.5 "
                    + "<marlowe@siroe.com>... Receipt ok",
            "26-Feb-2007 14:10:06.89 tcp_local                 JE 0 harold@varrius.com rfc822; alan@very.bogus.com "
                    + "530 5.7.1 Relaying not allowed: alan@very.bogus.com",
            "28-Feb-2007 11:50:59.10 tcp_local    +            O TCP|206.184.139.12|25|192.160.253.66|1244 SMTP",
            "19-Jan-1998 13:13:27.10 hosta   2e2d.5.1 tcp_local   tcp_intranet E 1 service@innosoft.com "
                    + "rfc822;huber@domain.com huber 276 /opt/sun/comms/messaging64/data/queue/tcp_intranet/ZZi0D4d9f5mwC.00 "
                    + "<01IWFVYLGTS499EC9W@innosoft.com> <01IWFVYLGTS499EC9Y@innosoft.com> mailsrv innosoft.com "
                    + "(innosoft.com [192.160.253.66]) 0 3",
            "<en ts=\"2014-06-02T22:02:13.94\" sc=\"tcp_local\" ac=\"D\" sz=\"2\" so=\"a@b.c\" od=\"rfc822;d@e.f\" "
                    + "de=\"d@e.f\" di=\"dns;mx.e.f (TCP|1.2.3.4|1025|5.6.7.8|25) smtp;250 ok\"/>",
            "<co ts=\"2014-06-02T22:02:13.94\" pi=\"1a2b.3.4\" sc=\"tcp_submit\" dr=\"+\" ac=\"U\" "
                    + "tr=\"TCP|1.2.3.4|587|5.6.7.8|51234\" ap=\"SMTP\" mi=\"Bad password\" us=\"a@b.c\" "
                    + "di=\"535 5.7.8 Bad username or password (Authentication failed).\"/>",
            "16-Feb-2007 14:54:13.72 > Subject: hello",
    };

    private static final byte[] INTERESTING = " ;<>()[]|.:-+@\"'&/\t\r0123456789ZQED".getBytes(StandardCharsets.US_ASCII);

    @Test
    void mutatedRealLinesNeverThrow() {
        Random random = new Random(20261129);
        for (int round = 0; round < 20_000; round++) {
            byte[] line = REAL[random.nextInt(REAL.length)].getBytes(StandardCharsets.ISO_8859_1);
            byte[] mutated = mutate(line, random);
            if (mutated.length == 0) {
                continue;
            }
            for (LogOptions options : List.of(LogOptions.auto(), LogOptions.parse("filename,message_id"),
                    LogOptions.parse("notary,filename,envelope_id,message_id,username,connection,sensitivity,"
                            + "priority,intermediate,initial,filter,reason,transport,application,queue_time"))) {
                Parsed p = Parsed.bytes(mutated, options);
                assertThat(p.entries().size() + p.rejections().size() + p.summary().skipped())
                        .as("every line accounted for: %s", new String(mutated, StandardCharsets.ISO_8859_1))
                        .isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void randomBytesNeverThrowAndEveryLineIsAccountedFor() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = new byte[random.nextInt(600)];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(4) == 0 ? (byte) '\n' : (byte) random.nextInt(256);
            }
            Parsed p = Parsed.bytes(data, LogOptions.auto());
            assertThat(p.summary().entries() + p.summary().rejected() + p.summary().skipped())
                    .isLessThanOrEqualTo(p.summary().lines());
        }
    }

    @Test
    void rejectionsOfARealLogAreNeverDroppedAsProse() throws IOException {
        // 1200 good lines then garbage: after 1000 entries the file is a real log, so garbage is reported.
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            log.append(LogReaderTest.E).append('\n');
        }
        List<String> garbage = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            garbage.add("garbage " + i);
            log.append("garbage ").append(i).append('\n');
        }
        Parsed p = Parsed.text(log.toString());
        assertThat(p.rejections()).extracting(LogReader.Rejection::text).containsExactlyElementsOf(garbage);
        try (InputStream ignored = InputStream.nullInputStream()) {
            assertThat(p.entries()).hasSize(1200);
        }
    }

    private static byte[] mutate(byte[] line, Random random) {
        byte[] out = line.clone();
        int edits = 1 + random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int kind = random.nextInt(5);
            int pos = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (kind) {
                case 0 -> { // replace with an interesting byte
                    if (out.length > 0) {
                        out[pos] = INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                }
                case 1 -> { // delete a span
                    int len = Math.min(out.length - pos, random.nextInt(20));
                    byte[] n = new byte[out.length - len];
                    System.arraycopy(out, 0, n, 0, pos);
                    System.arraycopy(out, pos + len, n, pos, out.length - pos - len);
                    out = n;
                }
                case 2 -> { // duplicate a span
                    int len = Math.min(out.length - pos, random.nextInt(30));
                    byte[] n = new byte[out.length + len];
                    System.arraycopy(out, 0, n, 0, pos + len);
                    System.arraycopy(out, pos, n, pos + len, out.length - pos);
                    out = n;
                }
                case 3 -> { // random byte
                    if (out.length > 0) {
                        out[pos] = (byte) random.nextInt(256);
                    }
                }
                default -> { // truncate
                    out = java.util.Arrays.copyOf(out, pos);
                }
            }
        }
        return out;
    }
}
