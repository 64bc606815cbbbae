package com.mailtrail.parse;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** A log's bytes as read from a file or a pipe: gzip is recognised by its magic bytes, whatever the name says. */
public final class LogInput {

    private LogInput() {
    }

    public static InputStream decompressing(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 != 0x1f || b2 != 0x8b) {
            return in;
        }
        try {
            // GZIPInputStream reads concatenated members too, as produced by appending gzip files.
            return new GZIPInputStream(in, 1 << 16);
        } catch (EOFException e) {
            // the header is read here: its EOFException has no message, which printed as "null"
            throw new IOException("starts like gzip but ends too soon to be one: a truncated or damaged .gz file",
                    e);
        } catch (ZipException e) {
            throw new IOException("starts like gzip but is not one (" + reason(e) + ")", e);
        }
    }

    /**
     * Why reading failed, for a person: the exception's message, or what it is when it has none (an EOFException
     * mostly has none); never "null".
     */
    public static String reason(Throwable e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (e instanceof EOFException) {
            return "it ends early";
        }
        Throwable cause = e.getCause();
        return cause != null && cause != e ? reason(cause) : e.getClass().getSimpleName();
    }
}
