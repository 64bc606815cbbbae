package com.mailtrail.system;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A failure of the database's own storage (its disk full, an I/O error, its file damaged), or of its server (stopped,
 * out of reach), in the words of the person loading a log or asking a page, instead of H2's chain of "General error:
 * IO Exception: ...", PostgreSQL's internal file names or the connection pool's time-out.
 * Recognized by the error codes and SQL states the databases give such failures, not by their English text; the
 * operating system's reason ("No space left on device") is quoted as it is. Here rather than in ingest: a load and
 * every request that reads or writes the database (the API, the pages) say it in the same words.
 */
public final class DatabaseFailure {

    // org.h2.api.ErrorCode (H2 is a runtime dependency only)
    static final int H2_GENERAL_ERROR_1 = 50000;
    static final int H2_IO_EXCEPTION_1 = 90028;
    static final int H2_FILE_CORRUPTED_1 = 90030;
    static final int H2_IO_EXCEPTION_2 = 90031;
    static final int H2_DATABASE_IS_CLOSED = 90098;
    static final int H2_DATABASE_IS_IN_EXCLUSIVE_MODE = 90135;
    // org.h2.mvstore.DataUtils: the codes of H2's file store, which it puts at the end of its message, "[2.4.240/1]"
    static final String H2_STORE_EXCEPTION = "org.h2.mvstore.MVStoreException";
    static final int H2_STORE_READING_FAILED = 1;
    static final int H2_STORE_WRITING_FAILED = 2;
    // PostgreSQL's SQLSTATEs disk_full and io_error
    static final String PG_DISK_FULL = "53100";
    static final String PG_IO_ERROR = "58030";
    // PostgreSQL's connection_exception class, and admin_shutdown, crash_shutdown and cannot_connect_now
    static final String PG_CONNECTION_CLASS = "08";
    static final Set<String> PG_STOPPING = Set.of("57P01", "57P02", "57P03");

    private DatabaseFailure() {
    }

    /**
     * What happened, for the user, or null when {@code e} is not a failure of the database's storage. {@code file}:
     * the database's file when it is an H2 file database, else null.
     */
    public static String describe(Throwable e, Path file) {
        List<Throwable> chain = chain(e);
        String unreachable = unreachable(chain);
        if (unreachable != null) {
            return unreachable;
        }
        String os = null; // the deepest reason the operating system gave, under the database's exceptions
        for (Throwable t : chain) {
            if (t instanceof IOException && t.getMessage() != null && !t.getMessage().isBlank()) {
                os = t.getMessage();
            }
        }
        String where = file == null ? "" : " " + file;
        for (Throwable t : chain) {
            int store = storeError(t);
            if (store == H2_STORE_READING_FAILED || store == H2_STORE_WRITING_FAILED) {
                // Under H2's "General error" when no reason of the system's came with it: a read of a part of the
                // file that a write refused a moment ago (the disk full) did not store, "read 0, remaining 384"
                return "the database could not write or read its file" + where + ": " + (os != null ? os
                        : store == H2_STORE_WRITING_FAILED ? "an I/O error"
                        : "a part of it that a failed write (a full disk?) left out could not be read back");
            }
            if (!(t instanceof SQLException s)) {
                continue;
            }
            if (PG_DISK_FULL.equals(s.getSQLState())) {
                return "the database server's disk is full: PostgreSQL could not write its files";
            }
            if (PG_IO_ERROR.equals(s.getSQLState())) {
                return "the database server could not read or write its files (an I/O error on its disk; "
                        + "PostgreSQL's log says more)";
            }
            switch (s.getErrorCode()) {
                case H2_IO_EXCEPTION_1, H2_IO_EXCEPTION_2 -> {
                    return "the database could not write or read its file" + where + ": " + (os == null
                            ? "an I/O error" : os);
                }
                case H2_GENERAL_ERROR_1 -> {
                    // H2's file store fails with its own exception under this code, the operating system's under it
                    if (os != null) {
                        return "the database could not write or read its file" + where + ": " + os;
                    }
                }
                case H2_FILE_CORRUPTED_1 -> {
                    return "the database file" + where + " is damaged" + (os == null ? "" : " (" + os + ")");
                }
                case H2_DATABASE_IS_CLOSED -> {
                    return "the database is closed: H2 closed it when it could not write its file" + where
                            + (os == null ? " (a full disk?)" : " (" + os + ")") + "; it opens again once the file "
                            + "can be written";
                }
                case H2_DATABASE_IS_IN_EXCLUSIVE_MODE -> {
                    // Mailtrail sets H2's exclusive mode nowhere (and suspends the pool around a compaction's
                    // SHUTDOWN COMPACT); H2 refused a session this way while it closed the database after a failed
                    // write on a full disk (an upload's error in FullDiskRecoveryTest, once in CI)
                    return "the database was being closed when it was needed (H2 closes it when it cannot write its "
                            + "file" + where + (os == null ? "; a full disk?" : ": " + os) + "); it opens again once "
                            + "the file can be written";
                }
                default -> {
                    // not one of these: the next in the chain may be
                }
            }
        }
        return null;
    }

    /** The error code of H2's file store exception ("... [2.4.240/1]"), or -1 for any other throwable. */
    private static int storeError(Throwable t) {
        String m = t.getMessage();
        if (!t.getClass().getName().equals(H2_STORE_EXCEPTION) || m == null || !m.endsWith("]")) {
            return -1;
        }
        int slash = m.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Integer.parseInt(m.substring(slash + 1, m.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A database server that is not running, stopping, or out of reach: the driver's own words of the deepest such
     * failure ("Connection to db:5432 refused"), not those of the pool around it ("Connection is not available,
     * request timed out after 30000ms"), or null when the failure is not one of these.
     */
    private static String unreachable(List<Throwable> chain) {
        SQLException deepest = null;
        for (Throwable t : chain) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith(PG_CONNECTION_CLASS) || PG_STOPPING.contains(s.getSQLState()))) {
                deepest = s;
            }
        }
        if (deepest == null) {
            return null;
        }
        String said = deepest.getMessage() == null ? "" : deepest.getMessage().strip();
        int nl = said.indexOf('\n');
        return "the database server cannot be reached (it is stopped, stopping, or out of reach)"
                + (said.isEmpty() ? "" : ": " + (nl < 0 ? said : said.substring(0, nl)));
    }

    /**
     * {@code e}, its causes, the exceptions chained to a SQLException (a batch's) and those suppressed, each once.
     */
    private static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(e));
        while (!todo.isEmpty() && out.size() < 50) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException s) {
                todo.add(s.getNextException());
            }
            // H2 at times reports a failed read after the failed write, which comes with the failed rollback
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }

    /**
     * The H2 file of a JDBC URL ({@code jdbc:h2:file:./data/mailtrail} is ./data/mailtrail.mv.db, made absolute), or
     * null for another database or one in memory.
     */
    public static Path h2File(String url) {
        Path file = h2FileAsNamed(url);
        if (file == null) {
            return null;
        }
        String name = file.toString();
        // a file system of H2's other than the plain one ("nioMapped:", a test's "fulldisk:"): its path follows
        int colon = name.indexOf(':');
        if (colon > 1 && name.substring(0, colon).chars().allMatch(Character::isLetter)) {
            name = name.substring(colon + 1);
        }
        return Path.of(name).toAbsolutePath().normalize();
    }

    /**
     * The H2 file of a JDBC URL as the URL names it, a file system prefix of H2's included ({@code fulldisk:/x.mv.db});
     * null for another database, or an H2 database in memory or on a server.
     */
    public static Path h2FileAsNamed(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.startsWith("mem:") || name.startsWith("tcp:") || name.startsWith("ssl:")
                || name.startsWith("zip:") || name.startsWith("split:") || name.startsWith("nio")) {
            return null;
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Path.of(name + ".mv.db");
    }
}
