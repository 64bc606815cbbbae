package com.mailtrail.ingest;

/**
 * 64-bit keys of raw log lines, for recognising a line already imported from another file (mail.log repeats
 * yesterday's lines). Two identical lines in one file are told apart by how many came before them.
 */
final class LineKeys {

    private LineKeys() {
    }

    /** Hash of the line without trailing blanks and CR, so CRLF and LF copies of a file match. */
    static long hash(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r')) {
            e--;
        }
        long h = 0x9E3779B97F4A7C15L ^ (e - s);
        for (int i = s; i < e; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        return mix(h);
    }

    /**
     * Whether a line is only blanks: such lines get no key, on either side of a comparison. They are never entries
     * nor rejected, and a file of twenty million newlines made twenty million keys for each later file to compare with.
     */
    static boolean blank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    static long withOccurrence(long hash, int occurrence) {
        return occurrence == 0 ? hash : mix(hash + 0x632BE59BD9B4E019L * occurrence);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
