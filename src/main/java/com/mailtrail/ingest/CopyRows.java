package com.mailtrail.ingest;

import java.io.Reader;
import java.io.StringReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * Rows for one table collected as COPY text, on PostgreSQL: one COPY FROM STDIN takes a batch's inserts several
 * times faster than batched INSERTs, which parse and plan every row. The driver is reached by reflection because it
 * is only a runtime dependency (H2 installs run without it).
 */
final class CopyRows implements RowOut {

    private static final MethodHandle GET_COPY_API;
    private static final MethodHandle COPY_IN;
    private static final Class<?> PG_CONNECTION;

    static {
        Class<?> pg = null;
        MethodHandle api = null;
        MethodHandle in = null;
        try {
            pg = Class.forName("org.postgresql.PGConnection");
            Class<?> manager = Class.forName("org.postgresql.copy.CopyManager");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            api = lookup.findVirtual(pg, "getCopyAPI", MethodType.methodType(manager));
            in = lookup.findVirtual(manager, "copyIn", MethodType.methodType(long.class, String.class, Reader.class));
        } catch (ReflectiveOperationException e) {
            pg = null; // no PostgreSQL driver on the class path: never used
        }
        PG_CONNECTION = pg;
        GET_COPY_API = api;
        COPY_IN = in;
    }

    /** Whether {@code c} is a PostgreSQL connection that takes COPY. */
    static boolean supported(Connection c) throws SQLException {
        return PG_CONNECTION != null && c.getMetaData().getDatabaseProductName().equals("PostgreSQL")
                && c.isWrapperFor(PG_CONNECTION);
    }

    private final String copy;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean first = true;
    private int rows;

    /** @param columns the columns in the order values are added */
    CopyRows(String table, String columns) {
        this.copy = "COPY " + table + " (" + columns + ") FROM STDIN";
    }

    private StringBuilder next() {
        if (!first) {
            text.append('\t');
        }
        first = false;
        return text;
    }

    @Override
    public CopyRows add(String s) {
        StringBuilder b = next();
        if (s == null) {
            b.append("\\N");
            return this;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return this;
    }

    private CopyRows number(long v) {
        next().append(v);
        return this;
    }

    @Override
    public CopyRows add(Long v) {
        return v == null ? nul() : number(v);
    }

    @Override
    public CopyRows add(Integer v) {
        return v == null ? nul() : number(v);
    }

    @Override
    public CopyRows add(Boolean v) {
        return v == null ? nul() : add(v ? "t" : "f");
    }

    /** ISO text ({@code 2026-03-01T10:15:30.25}), which PostgreSQL reads as a timestamp without time zone. */
    @Override
    public CopyRows add(LocalDateTime t) {
        if (t == null) {
            return nul();
        }
        next().append(t);
        return this;
    }

    private CopyRows nul() {
        next().append("\\N");
        return this;
    }

    @Override
    public void endRow() {
        text.append('\n');
        first = true;
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Sends the collected rows (if any) on {@code c}, inside the caller's transaction, and starts empty. */
    void write(Connection c) throws SQLException {
        if (rows == 0) {
            return;
        }
        try {
            Object api = GET_COPY_API.invoke(c.unwrap(PG_CONNECTION));
            long n = (long) COPY_IN.invoke(api, copy, new StringReader(text.toString()));
            if (n != rows) {
                throw new SQLException(copy + " stored " + n + " rows of " + rows);
            }
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SQLException(copy + ": " + e.getMessage(), e);
        } finally {
            text.setLength(0);
            first = true;
            rows = 0;
        }
    }
}
