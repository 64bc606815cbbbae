package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine.FileState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;

/**
 * Where the lines of a truncated file written after its last look may still be: logrotate's copytruncate copies the
 * file (to mail.log_current.1, mail.log_current-20261130) before it empties it. A copy is a regular file of the same
 * directory, under any name, whose first bytes are those fingerprinted and which is at least as long as what was read.
 */
final class Copies {

    /** A copy found; {@code compressed}: a gzip of it, which is named for an upload but not read. */
    record Copy(Path path, String name, long size, boolean compressed) {
    }

    private Copies() {
    }

    /**
     * The longest plain copy of {@code k} in {@code dir}, else a gzip named after it ({@code mail.log_current.1.gz},
     * logrotate's {@code compress}) that holds the same first bytes, else null. Not a symbolic link: logrotate makes
     * none, and one may lead out of the directory to anything. Not the file itself (a hard link to it is emptied with
     * it, and its first bytes are not those of the copy any more).
     */
    static Copy find(Path dir, FileState k, DirectoryTail.Opener opener) {
        if (k.headLength() == 0) {
            return null; // nothing read to recognise it by
        }
        Copy plain = null;
        Copy compressed = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!a.isRegularFile() || isTheFile(p, k)) {
                        continue;
                    }
                    String name = p.getFileName().toString();
                    if (a.size() >= k.position() && (plain == null || a.size() > plain.size())
                            && startsAsRead(p, k, opener)) {
                        plain = new Copy(p, name, a.size(), false);
                    } else if (compressed == null && name.startsWith(k.name()) && name.endsWith(".gz")
                            && gzipStartsAsRead(p, k)) {
                        compressed = new Copy(p, name, a.size(), true);
                    }
                } catch (IOException e) {
                    // gone since the listing, or not readable: not a copy that can be told or read
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // listed a moment ago: the truncation is told as without a copy
        }
        return plain != null ? plain : compressed;
    }

    private static boolean isTheFile(Path p, FileState k) throws IOException {
        Long[] id = FileFinder.identity(p);
        return k.inode() != null && k.inode().equals(id[1]) && k.device().equals(id[0]);
    }

    private static boolean startsAsRead(Path p, FileState k, DirectoryTail.Opener opener) throws IOException {
        try (FileChannel ch = opener.open(p)) {
            return DirectoryTail.sameStart(k, Fingerprint.head(ch));
        }
    }

    private static boolean gzipStartsAsRead(Path p, FileState k) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return DirectoryTail.sameStart(k, in.readNBytes(k.headLength()));
        }
    }
}
