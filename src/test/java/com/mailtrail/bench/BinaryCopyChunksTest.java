package com.mailtrail.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts are complete binary COPY streams that hold every row once, in order, NULLs and empty values included. */
class BinaryCopyChunksTest {

    @Test
    void splitsRowsEvenlyIntoCompleteStreams() throws IOException {
        byte[][] rows = {row(1, "a"), row(2, null), row(3, ""), row(4, "dddd"), row(5, "e")};
        byte[] whole = stream(rows);

        List<byte[]> parts = BinaryCopyChunks.split(whole, 2);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).isEqualTo(stream(rows[0], rows[1]));
        assertThat(parts.get(1)).isEqualTo(stream(rows[2], rows[3], rows[4]));
        assertThat(BinaryCopyChunks.split(whole, 1)).singleElement().isEqualTo(whole);
    }

    @Test
    void morePartsThanRowsGivesEmptyStreams() throws IOException {
        byte[] one = stream(row(7, "x"));

        List<byte[]> parts = BinaryCopyChunks.split(one, 3);

        assertThat(parts).containsExactly(stream(), stream(), one);
    }

    /** PostgreSQL's binary COPY header, with a header extension of 4 bytes to be skipped, the rows and the trailer. */
    private static byte[] stream(byte[]... rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(4);
        out.writeInt(0xcafe);
        for (byte[] row : rows) {
            out.write(row);
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    /** A row of a BIGINT and a text column, the text NULL when null. */
    private static byte[] row(long id, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(2);
        out.writeInt(8);
        out.writeLong(id);
        if (text == null) {
            out.writeInt(-1);
        } else {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        return bytes.toByteArray();
    }
}
