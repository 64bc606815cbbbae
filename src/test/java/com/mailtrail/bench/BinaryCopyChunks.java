package com.mailtrail.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one table's PostgreSQL binary COPY data (as {@code COPY t TO STDOUT (FORMAT binary)} writes it) into
 * consecutive parts of about equal row counts, each a complete binary COPY stream of its own: so that the rows can be
 * copied back in as many transactions as the import committed, and that floor compared with the import's.
 */
final class BinaryCopyChunks {

    /** PGCOPY\n\377\r\n\0, the flags field and the header extension's length. */
    private static final int HEADER = 11 + 4 + 4;

    private BinaryCopyChunks() {
    }

    static List<byte[]> split(byte[] data, int parts) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int extension = in.getInt(15);
        int start = HEADER + extension;
        List<Integer> rowStarts = new ArrayList<>();
        int at = start;
        while (true) {
            short fields = in.getShort(at);
            if (fields == -1) {
                break;
            }
            rowStarts.add(at);
            at += 2;
            for (int f = 0; f < fields; f++) {
                int length = in.getInt(at);
                at += 4 + Math.max(length, 0);
            }
        }
        int end = at;
        int rows = rowStarts.size();
        List<byte[]> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            int fromByte = from < rows ? rowStarts.get(from) : end;
            int toByte = to < rows ? rowStarts.get(to) : end;
            ByteArrayOutputStream part = new ByteArrayOutputStream(start + (toByte - fromByte) + 2);
            part.write(data, 0, start);
            part.write(data, fromByte, toByte - fromByte);
            part.write(0xff);
            part.write(0xff);
            out.add(part.toByteArray());
        }
        return out;
    }
}
