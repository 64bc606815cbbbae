package com.mailtrail.ingest.tail;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Generated log text cut into pieces, and what the parser makes of it: the truth the tables are checked against. */
record LogText(byte[] bytes) {

    static LogText generate(int messages, long seed) {
        return generate(GeneratorConfig.of(messages, seed));
    }

    /** A site that logs the optional fields {@code options} (e.g. "filename,message_id,priority"). */
    static LogText generate(int messages, long seed, String options) {
        return generate(new GeneratorConfig(messages, seed, LogOptions.parse(options), 1,
                GeneratorConfig.DEFAULT_DAY));
    }

    private static LogText generate(GeneratorConfig config) {
        StringWriter w = new StringWriter();
        try {
            new LogGenerator(config).generate(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LogText(w.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Cuts at line ends into {@code n} pieces of about equal size. */
    List<byte[]> pieces(int n) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= n; i++) {
            int cut = i == n ? bytes.length : lineEndAfter((int) ((long) bytes.length * i / n));
            out.add(java.util.Arrays.copyOfRange(bytes, start, cut));
            start = cut;
        }
        return out;
    }

    private int lineEndAfter(int at) {
        for (int i = Math.max(at, 0); i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return bytes.length;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** What converting this text gives: the count every ingest of it must match. */
    static LogReader.Summary read(byte[] text) {
        try {
            return new LogReader(LogOptions.auto()).read(new ByteArrayInputStream(text), new LogReader.Sink() {
                @Override
                public void entry(Entry entry) {
                }

                @Override
                public void rejected(LogReader.Rejection rejection) {
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long lines() {
        long n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
