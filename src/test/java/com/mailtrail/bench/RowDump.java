package com.mailtrail.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's rows in a local binary file, written from a query and read back row by row, so that a benchmark can
 * time inserting rows without reading them from another database at the same time, and without holding them all
 * in memory. Only the column types Mailtrail's schema uses; any other fails here rather than being copied wrong.
 */
final class RowDump {

    /** How a column's values are written, read and bound, with the setter the import itself uses (RowOut). */
    enum Kind {
        LONG(Types.BIGINT), INT(Types.INTEGER), STRING(Types.VARCHAR), BOOL(Types.BOOLEAN), TIME(Types.TIMESTAMP),
        BYTES(Types.VARBINARY);

        final int sqlType;

        Kind(int sqlType) {
            this.sqlType = sqlType;
        }

        static Kind of(int sqlType, String typeName, String column) {
            return switch (sqlType) {
                case Types.BIGINT -> LONG;
                case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> INT;
                case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB -> STRING;
                case Types.BOOLEAN, Types.BIT -> BOOL;
                case Types.TIMESTAMP -> TIME;
                case Types.VARBINARY, Types.BINARY, Types.LONGVARBINARY, Types.BLOB -> BYTES;
                default -> throw new IllegalArgumentException("column " + column + " is of type " + typeName
                        + ", which RowDump does not copy");
            };
        }
    }

    record Column(String name, Kind kind) {
    }

    private RowDump() {
    }

    /** Writes every row of {@code rs} to {@code file}; returns the number of rows. */
    static long write(ResultSet rs, Path file) throws SQLException, IOException {
        ResultSetMetaData md = rs.getMetaData();
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(new Column(md.getColumnName(i), Kind.of(md.getColumnType(i), md.getColumnTypeName(i),
                    md.getColumnName(i))));
        }
        long rows = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(columns.size());
            for (Column c : columns) {
                out.writeUTF(c.name());
                out.writeByte(c.kind().ordinal());
            }
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    writeValue(out, columns.get(i - 1).kind(), rs, i);
                }
                rows++;
            }
        }
        return rows;
    }

    private static void writeValue(DataOutputStream out, Kind kind, ResultSet rs, int i) throws SQLException, IOException {
        Object v = switch (kind) {
            case LONG -> rs.getLong(i);
            case INT -> rs.getInt(i);
            case STRING -> rs.getString(i);
            case BOOL -> rs.getBoolean(i);
            case TIME -> rs.getObject(i, LocalDateTime.class);
            case BYTES -> rs.getBytes(i);
        };
        if (rs.wasNull() || v == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        switch (kind) {
            case LONG -> out.writeLong((Long) v);
            case INT -> out.writeInt((Integer) v);
            case BOOL -> out.writeBoolean((Boolean) v);
            case TIME -> {
                LocalDateTime t = (LocalDateTime) v;
                out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
                out.writeInt(t.getNano());
            }
            case STRING -> writeBytes(out, ((String) v).getBytes(StandardCharsets.UTF_8));
            case BYTES -> writeBytes(out, (byte[]) v);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** Reads a dump back, one row at a time, as values of the kinds {@link #bind} takes (null for NULL). */
    static final class Reader implements Closeable {
        private final DataInputStream in;
        private final List<Column> columns = new ArrayList<>();

        Reader(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            int n = in.readInt();
            Kind[] kinds = Kind.values();
            for (int i = 0; i < n; i++) {
                columns.add(new Column(in.readUTF(), kinds[in.readByte()]));
            }
        }

        List<Column> columns() {
            return columns;
        }

        /** The next row; the caller knows how many there are (what {@link #write} returned). */
        Object[] next() throws IOException {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                if (!in.readBoolean()) {
                    continue;
                }
                row[i] = switch (columns.get(i).kind()) {
                    case LONG -> in.readLong();
                    case INT -> in.readInt();
                    case BOOL -> in.readBoolean();
                    case TIME -> LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
                    case STRING -> new String(readBytes(), StandardCharsets.UTF_8);
                    case BYTES -> readBytes();
                };
            }
            return row;
        }

        private byte[] readBytes() throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Binds a row read back to an INSERT of its columns in their order, as the import binds its rows. */
    static void bind(PreparedStatement ps, List<Column> columns, Object[] row) throws SQLException {
        for (int k = 0; k < row.length; k++) {
            Object v = row[k];
            Kind kind = columns.get(k).kind();
            if (v == null) {
                ps.setNull(k + 1, kind.sqlType);
                continue;
            }
            switch (kind) {
                case LONG -> ps.setLong(k + 1, (Long) v);
                case INT -> ps.setInt(k + 1, (Integer) v);
                case STRING -> ps.setString(k + 1, (String) v);
                case BOOL -> ps.setBoolean(k + 1, (Boolean) v);
                case TIME -> ps.setObject(k + 1, v);
                case BYTES -> ps.setBytes(k + 1, (byte[]) v);
            }
        }
    }

    /**
     * Where transaction {@code k} of {@code transactions} starts in a table of {@code rows} rows when each table's
     * rows are shared out evenly over the transactions, rounding up, so a table of fewer rows than transactions (the
     * one log file's row) goes in the first ones.
     */
    static long share(long rows, int k, int transactions) {
        return (rows * k + transactions - 1) / transactions;
    }
}
