package com.mailtrail.store;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The stored form of raw log lines (table raw_block): the lines of a block joined by '\n' and deflated. The write
 * path stores blocks, the read side shows lines from them; both go through here.
 */
public final class RawText {

    private RawText() {
    }

    /** The text of a stored block: {@code byteCount} bytes once inflated. */
    public static byte[] inflate(byte[] data, int byteCount) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] text = new byte[byteCount];
            int n = 0;
            while (n < byteCount && !inflater.finished()) {
                int r = inflater.inflate(text, n, byteCount - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += r;
            }
            if (n < byteCount) {
                throw new IllegalStateException("a stored block of raw lines is shorter than recorded");
            }
            return text;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored block of raw lines is damaged", e);
        } finally {
            inflater.end();
        }
    }
}
