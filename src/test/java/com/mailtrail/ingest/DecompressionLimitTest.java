package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check before reading: the trailer, and inflating within a budget when the trailer claims too much. */
class DecompressionLimitTest {

    @TempDir
    Path dir;

    @Test
    void aBombIsRefusedWithinTheBudgetAndLeftToTheStreamBeyondIt() throws Exception {
        Path bomb = write("bomb.gz", gzip(Bombs.repeatedLine(20 << 20)));
        long size = Files.size(bomb);
        long limit = DecompressionLimit.limit(size, 50);

        assertThat(check(bomb, 50, new DecompressionLimit.Budget(DecompressionLimit.DECIDE_BUDGET)))
                .startsWith("decompresses to more than " + limit + " bytes, over 50 times its " + size + " bytes");
        // Undecided when the budget runs out first: let through, and the stream's limit stops it while it is read.
        assertThat(check(bomb, 50, new DecompressionLimit.Budget(limit / 2))).isNull();
        assertThatThrownBy(() -> {
            try (InputStream in = DecompressionLimit.wrap(new GZIPInputStream(Files.newInputStream(bomb)), size, 50,
                    "raise it")) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).isInstanceOf(DecompressionLimit.Exceeded.class);
    }

    @Test
    void oneBudgetIsSharedByTheFilesOfARequest() throws Exception {
        Path bomb = write("bomb.gz", gzip(Bombs.repeatedLine(20 << 20)));
        long limit = DecompressionLimit.limit(Files.size(bomb), 50);
        DecompressionLimit.Budget budget = new DecompressionLimit.Budget(limit + limit / 2);

        assertThat(check(bomb, 50, budget)).isNotNull(); // spends the limit and a little
        assertThat(check(bomb, 50, budget)).as("what is left is not enough to decide").isNull();
        assertThat(check(bomb, 50, budget)).as("nothing left").isNull();
    }

    @Test
    void aCutOffGzipWhoseLastBytesClaimTooMuchIsLetThrough() throws Exception {
        byte[] text = new byte[4 << 20];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + random.nextInt(26)); // compresses about 1.6 times
        }
        byte[] whole = gzip(text);
        Path cut = write("t.gz", Bombs.cutWhereTheTrailerClaimsTooMuch(whole, whole.length / 2, 50));

        assertThat(check(cut, 50, new DecompressionLimit.Budget(DecompressionLimit.DECIDE_BUDGET))).isNull();
    }

    private static String check(Path file, int maxRatio, DecompressionLimit.Budget budget) throws IOException {
        return DecompressionLimit.overByTrailer(file, Files.size(file), maxRatio, "raise it", budget);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
