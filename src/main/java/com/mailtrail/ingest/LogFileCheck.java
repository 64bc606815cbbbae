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
    private static final int SNIFF_BYTES = 1024;
    /** 10 bytes of header and 8 of trailer: anything shorter that starts like gzip is not one. */
    public static final int GZIP_MIN = 18;

    /** A file that starts like gzip but is not one; the message says why, to follow the file's name. */
    public static final class NotGzip extends IOException {
        NotGzip(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private LogFileCheck() {
    }

    /**
     * Why {@code file} cannot be read as a log, or null when it can (an empty file can: it has no lines). Pipes and
     * other files that are not regular are not looked at: reading their start would take it from the import.
     */
    public static String problem(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return null;
        }
        byte[] head;
        try {
            head = head(file, isGzip(file));
        } catch (NotGzip e) {
            return e.getMessage();
        }
        return verdict(head);
    }

    /**
     * Why a stream that starts with {@code start} cannot be read as a log, or null: {@link #problem(Path)} for a pipe
     * (standard input), whose start is all that can be looked at. {@code whole} when the stream ends there: a gzip
     * that ends within it must decompress, while the start of a longer one need only give some text.
     */
    public static String problem(byte[] start, boolean whole) {
        if (start.length == 0) {
            return null;
        }
        byte[] head = start;
        if (start.length >= 2 && (start[0] & 0xff) == 0x1f && (start[1] & 0xff) == 0x8b) {
            if (whole && start.length < GZIP_MIN) {
                return tooShort(start.length);
            }
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(start))) {
                byte[] buf = new byte[SNIFF_BYTES];
                for (int n; text.size() < SNIFF_BYTES && (n = in.read(buf, 0, SNIFF_BYTES - text.size())) > 0; ) {
                    text.write(buf, 0, n);
                }
            } catch (java.util.zip.ZipException e) {
                return notDecompressed(e);
            } catch (IOException e) {
                // The start of a longer stream ends where it was cut: what came out of it is looked at
                if (whole || text.size() == 0) {
                    return whole ? notDecompressed(e) : null;
                }
            }
            head = text.toByteArray();
        } else if (head.length > SNIFF_BYTES) {
            head = java.util.Arrays.copyOf(head, SNIFF_BYTES);
        }
        return verdict(head);
    }

    /** What a file or a stream is told when its start is not log text, or null. */
    private static String verdict(byte[] head) {
        String notText = notText(head);
        return notText == null ? null : "does not look like a text log (" + notText + ")";
    }

    private static String tooShort(long bytes) {
        return "starts like gzip but is too short (" + bytes + " bytes) to be one";
    }

    private static String notDecompressed(IOException e) {
        return "starts like gzip but cannot be decompressed: " + LogInput.reason(e);
    }

    /**
     * The start of the file's text, decompressed when {@code gzip}: enough for {@link #notText}.
     *
     * @throws NotGzip when it starts like gzip but is too short to be one or cannot be decompressed
     */
    public static byte[] head(Path file, boolean gzip) throws IOException {
        long size = Files.size(file);
        if (gzip && size < GZIP_MIN) {
            throw new NotGzip(tooShort(size), null);
        }
        try (InputStream raw = Files.newInputStream(file)) {
            if (!gzip) {
                return raw.readNBytes(SNIFF_BYTES);
            }
            try (GZIPInputStream in = new GZIPInputStream(raw)) {
                return in.readNBytes(SNIFF_BYTES);
            } catch (IOException e) {
                // ZipException for bad headers or data, EOFException (at times without a message) when it ends
                throw new NotGzip(notDecompressed(e), e);
            }
        }
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
