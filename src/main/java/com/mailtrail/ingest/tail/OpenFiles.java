package com.mailtrail.ingest.tail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The followed files one directory's tail keeps open between rounds, by log_file id: at most one each. On Linux a
 * file deleted or moved to another directory can still be read to its end through a descriptor opened before, so
 * lines written just before it went are not lost. Only files with a device and inode are held: where the file system
 * tells none (and on Windows, where an open file cannot be deleted or renamed) a file is opened for each round.
 */
final class OpenFiles {

    private static final Logger log = LoggerFactory.getLogger(OpenFiles.class);

    private final Map<Long, FileChannel> open = new HashMap<>();

    /** The file held for this row, or null. */
    FileChannel get(long fileId) {
        return open.get(fileId);
    }

    /** Holds {@code ch} for this row, closing another one held for it before (there is none in practice). */
    void hold(long fileId, FileChannel ch) {
        FileChannel before = open.put(fileId, ch);
        if (before != null && before != ch) {
            close(before);
        }
    }

    boolean holds(FileChannel ch) {
        return open.containsValue(ch);
    }

    /** No longer held for this row; not closed (a truncated file goes on under a new row). */
    void forget(long fileId) {
        open.remove(fileId);
    }

    /** Closes the file held for this row, if any. */
    void release(long fileId) {
        FileChannel ch = open.remove(fileId);
        if (ch != null) {
            close(ch);
        }
    }

    /** Closes the files held for rows no longer followed (let go, truncated, removed with their source). */
    void keepOnly(Set<Long> followed) {
        for (Long id : List.copyOf(open.keySet())) {
            if (!followed.contains(id)) {
                release(id);
            }
        }
    }

    void releaseAll() {
        for (Long id : new ArrayList<>(open.keySet())) {
            release(id);
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.warn("cannot close a followed file: {}", e.getMessage()); // read-only: nothing of it is lost
        }
    }
}
