package com.mailtrail.ingest.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The first bytes of a file and their SHA-256: with device and inode, what tells a file that was truncated or
 * replaced (or an inode number reused) from the file that was read before.
 */
final class Fingerprint {

    /** Fingerprinted bytes at most; a shorter file is fingerprinted again as it grows. */
    static final int HEAD = 1024;

    private Fingerprint() {
    }

    /** Up to {@link #HEAD} bytes from the start of the file (fewer if it is shorter). */
    static byte[] head(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEAD);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    static String of(byte[] head, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(head, 0, length);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
