package com.mailtrail.ingest;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Transport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection entries on the write path. An open (O) and its close (C), which carry the same channel, direction and
 * transport, become one row; a session still open at a checkpoint is stored open and closed later by an update.
 */
final class Connections {

    private static final int OPEN_SESSIONS = 100_000;

    /** A connection row being put together. */
    private static final class Row {
        long id;
        ConnectionEntry first;
        ConnectionEntry close;
        long fileId;
        long line;
        boolean stored;
    }

    private final Map<String, Row> open = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();
    // Sessions stored while open, by key, so that their close becomes an update.
    private final Map<String, Long> storedOpen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > OPEN_SESSIONS;
        }
    };
    private final List<Object[]> closes = new ArrayList<>();

    void add(ConnectionEntry e, long fileId) {
        String key = e.channel() + (e.inbound() ? "+" : "-") + e.transport();
        char code = e.code().charAt(0);
        if (code == 'O' && e.transport() != null) {
            Row row = new Row();
            row.first = e;
            row.fileId = fileId;
            row.line = e.line();
            open.put(key, row);
            rows.add(row);
            return;
        }
        if (code == 'C' && e.transport() != null) {
            Row row = open.remove(key);
            if (row != null) {
                row.close = e;
                return;
            }
            Long storedId = storedOpen.remove(key);
            if (storedId != null) {
                closes.add(new Object[]{storedId, e});
                return;
            }
        }
        Row row = new Row();
        row.first = e;
        row.fileId = fileId;
        row.line = e.line();
        rows.add(row);
    }

    boolean isEmpty() {
        return rows.isEmpty() && closes.isEmpty();
    }

    void write(Connection c, Ids ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO connection (id, channel, inbound, code, opened, "
                + "closed, remote_ip, remote_port, local_ip, local_port, application, process_id, username, "
                + "diagnostic, file_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (Row row : rows) {
                row.id = ids.next(c);
                ConnectionEntry e = row.first;
                boolean isClose = e.code().charAt(0) == 'C';
                ps.setLong(1, row.id);
                ps.setString(2, e.channel());
                ps.setBoolean(3, e.inbound());
                ps.setString(4, row.close != null ? "O" + row.close.code() : e.code());
                ps.setTimestamp(5, isClose ? null : Timestamp.valueOf(e.time()));
                ConnectionEntry closing = isClose ? e : row.close;
                ps.setTimestamp(6, closing == null ? null : Timestamp.valueOf(closing.time()));
                Transport t = e.transportParts();
                ps.setString(7, t == null ? null : t.remoteIp());
                setInt(ps, 8, t == null ? null : t.remotePort());
                ps.setString(9, t == null ? null : t.localIp());
                setInt(ps, 10, t == null ? null : t.localPort());
                ps.setString(11, e.application());
                ps.setString(12, e.processId());
                ps.setString(13, e.username());
                String diagnostic = closing != null && closing.diagnostic() != null ? closing.diagnostic()
                        : e.diagnostic() != null ? e.diagnostic() : e.detail();
                ps.setString(14, diagnostic);
                ps.setLong(15, row.fileId);
                ps.setLong(16, row.line);
                ps.addBatch();
            }
            if (!rows.isEmpty()) {
                ps.executeBatch();
            }
        }
        if (!closes.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE connection SET closed = ?, code = 'OC', "
                    + "diagnostic = COALESCE(?, diagnostic) WHERE id = ?")) {
                for (Object[] close : closes) {
                    ConnectionEntry e = (ConnectionEntry) close[1];
                    ps.setTimestamp(1, Timestamp.valueOf(e.time()));
                    ps.setString(2, e.diagnostic());
                    ps.setLong(3, (Long) close[0]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** After a commit: sessions still open are remembered by their stored row. */
    void committed() {
        for (Map.Entry<String, Row> e : open.entrySet()) {
            storedOpen.put(e.getKey(), e.getValue().id);
        }
        open.clear();
        rows.clear();
        closes.clear();
    }

    /** After a rollback nothing of this batch was stored. */
    void rolledBack() {
        open.clear();
        rows.clear();
        closes.clear();
        storedOpen.clear();
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
