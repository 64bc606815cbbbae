package com.mailtrail.ingest;

import com.mailtrail.parse.LogInput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Looks at the start of a file before it is read as a log, so that a zip, a gzip inside a gzip or any other binary file
 * is refused with a reason instead of being "read" as thousands of rejected lines. The upload and the command-line
 * import ask the same questions.
 */
public final class LogFileCheck {

    /** How much of the (decompressed) start is looked at to decide whether it is text. */
    public static final int SNIFF_BYTES = 1024;
    /** 10 bytes of header and 8 of trailer: anything shorter that starts like gzip is not one. */
    public static final int GZIP_MIN = 18;

    private LogFileCheck() {
    }

    /**
     * Why {@code file} cannot be read as a log, or null when it can (an empty file can: it has no lines). Pipes and
     * other files that are not regular are not looked at: reading their start would take it from the import.
     */
    public static String problem(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long size = Files.size(file);
        if (size == 0) {
            return null;
        }
        boolean gzip = isGzip(file);
        if (gzip && size < GZIP_MIN) {
            return "starts like gzip but is too short (" + size + " bytes) to be one";
        }
        byte[] head;
        try (InputStream raw = Files.newInputStream(file)) {
            if (gzip) {
                try (GZIPInputStream in = new GZIPInputStream(raw)) {
                    head = in.readNBytes(SNIFF_BYTES);
                } catch (IOException e) {
                    // ZipException for bad headers or data, EOFException (at times without a message) when it ends
                    return "starts like gzip but cannot be decompressed: " + LogInput.reason(e);
                }
            } else {
                head = raw.readNBytes(SNIFF_BYTES);
            }
        }
        String notText = notText(head);
        return notText == null ? null : "does not look like a text log (" + notText + ")";
    }

    /** By the magic bytes, whatever the name says. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Why these bytes are not log text, or null. Logs are ASCII with some UTF-8 or Latin-1; NUL never occurs in them
     * and other control characters barely do, while they are everywhere in binary data.
     */
    public static String notText(byte[] head) {
        int controls = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) {
                return "it contains NUL bytes: binary data, or text in UTF-16";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b) || c == 0x7f) {
                controls++;
            }
        }
        if (controls * 50 > head.length) {
            return controls + " of its first " + head.length + " bytes are control characters";
        }
        return null;
    }
}
