package com.mailtrail.system;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.sql.SQLException;

/**
 * Turns the database failures an administrator meets at start-up (of the server or of {@code import}) into Spring
 * Boot's "APPLICATION FAILED TO START" description and action, instead of a page of stack trace: the H2 file held
 * by another Mailtrail (the usual one: {@code import} while the server runs), an H2 file that cannot be read, and a
 * PostgreSQL that cannot be reached or refuses the credentials. Anything else is left to Spring Boot's analyzers.
 * Registered in {@code META-INF/spring.factories}; ordered first because Flyway's and Hibernate's wrappers around
 * these failures would otherwise be reported as the cause.
 */
public final class DatabaseFailureAnalyzer implements FailureAnalyzer, Ordered {

    /** H2's error codes (org.h2.api.ErrorCode), as numbers so that this class does not need H2 on the classpath. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_IO_EXCEPTION = 90028;
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final int H2_FILE_VERSION_ERROR = 90048;
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

    private final Environment environment;

    public DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        SQLException sql = firstSqlException(failure);
        if (sql == null) {
            return null;
        }
        String url = redacted(environment.getProperty("spring.datasource.url", ""));
        FailureAnalysis analysis = url.startsWith("jdbc:h2:") ? h2(sql, url)
                : url.startsWith("jdbc:postgresql:") ? postgres(sql, url) : null;
        return analysis != null ? analysis : storage(failure, url);
    }

    /**
     * The database's storage failed while Mailtrail started: mostly a migration after an upgrade that filled the disk.
     * A migration that rewrites a large table needs room for a while (V22 took the 1M-entry H2 file from 155 MB to
     * 1.5 GB before the compaction after it), and Flyway's own error then hides H2's: on a full disk H2 closes the
     * database, and what reached the top was Flyway failing to read its history table ("The database has been
     * closed"), under a page of stack trace.
     */
    private static FailureAnalysis storage(Throwable failure, String url) {
        String what = DatabaseFailure.describe(failure, DatabaseFailure.h2File(url));
        if (what == null) {
            return null;
        }
        return new FailureAnalysis("Mailtrail could not start: " + what + ".",
                "Make room on the disk that holds the database, or mend what the error names, and start Mailtrail "
                        + "again. The first start after an upgrade may run a migration that needs several times the "
                        + "database's size on disk while it runs (Mailtrail compacts an H2 file right after); a "
                        + "migration that did not finish runs again from its start, and the data stored before it "
                        + "is kept.", failure);
    }

    private FailureAnalysis h2(SQLException e, String url) {
        return switch (e.getErrorCode()) {
            case H2_DATABASE_ALREADY_OPEN -> new FailureAnalysis(
                    "The H2 database " + quoted(e.getMessage(), url) + " is in use by another process: a Mailtrail server or import is "
                            + "already running on this data directory, and H2 lets one process at a time open it.",
                    "Stop the other Mailtrail first, or, while the server runs, load files through it instead of "
                            + "with import: upload them (page Upload, or curl -F file=@mail.log "
                            + "http://HOST:8080/api/uploads) or let it follow the log directory "
                            + "(mailtrail.tail.paths). To use another database, give "
                            + "--spring.datasource.url=jdbc:h2:file:/other/directory/mailtrail.", e);
            case H2_IO_EXCEPTION, H2_FILE_CORRUPTED, H2_FILE_VERSION_ERROR -> new FailureAnalysis(
                    "The H2 database " + url + " cannot be read: " + firstLine(e.getMessage()),
                    "Check that the user Mailtrail runs as can read and write the file and that the disk is not "
                            + "full. If the file is damaged (or is not a Mailtrail database), restore it from a backup, "
                            + "or move the data directory aside: Mailtrail then starts with an empty database, and the "
                            + "logs can be imported again.", e);
            case H2_WRONG_USER_OR_PASSWORD -> new FailureAnalysis(
                    "The H2 database " + url + " refused the user name or password.",
                    "Give the ones the database was created with: --spring.datasource.username and "
                            + "--spring.datasource.password.", e);
            default -> null;
        };
    }

    /** The database a PostgreSQL JDBC URL names (jdbc:postgresql://HOST:PORT/DATABASE?...), "mailtrail" if none. */
    static String databaseName(String url) {
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        if (slash < 0) {
            return "mailtrail";
        }
        int end = url.indexOf('?', slash);
        String name = url.substring(slash + 1, end < 0 ? url.length() : end);
        return name.isEmpty() ? "mailtrail" : name;
    }

    private FailureAnalysis postgres(SQLException e, String url) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String user = environment.getProperty("spring.datasource.username", "");
        if (state.startsWith("08")) {
            return new FailureAnalysis("PostgreSQL at " + url + " cannot be reached: " + firstLine(e.getMessage()),
                    "Check that the server runs and accepts connections from this host, and the URL in "
                            + "MAILTRAIL_DB_URL (jdbc:postgresql://HOST:5432/DATABASE).", e);
        }
        if (state.startsWith("28")) {
            return new FailureAnalysis("PostgreSQL at " + url + " refused user " + user + ": "
                    + firstLine(e.getMessage()),
                    "Check MAILTRAIL_DB_USER and MAILTRAIL_DB_PASSWORD, and that pg_hba.conf lets this user in "
                            + "from this host.", e);
        }
        if (state.equals("3D000")) {
            return new FailureAnalysis("PostgreSQL at " + url + " has no such database: " + firstLine(e.getMessage()),
                    "Create it first (createdb -O " + user + " " + databaseName(url) + "): Mailtrail creates its "
                            + "tables, not the database.", e);
        }
        return null;
    }

    private static SQLException firstSqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** A JDBC URL may carry a password among its parameters; it never goes to the console. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** H2 names the file it could not open between double quotes: more useful than a relative URL. */
    private static String quoted(String message, String otherwise) {
        int open = message == null ? -1 : message.indexOf('"');
        int close = open < 0 ? -1 : message.indexOf('"', open + 1);
        return close < 0 ? otherwise : message.substring(open + 1, close);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
