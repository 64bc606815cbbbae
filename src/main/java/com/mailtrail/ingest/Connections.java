package com.mailtrail.ingest;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Transport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection entries on the write path. Opens and closes are counted per hour, channel, direction and remote
 * address (their lines stay in the raw text); every other connection entry (rejected, failed, ETRN,
 * authentication...) is a row of its own.
 */
final class Connections {

    private record HourKey(LocalDateTime bucket, String channel, boolean inbound, String remoteIp) {
    }

    private static final class Counts {
        long opens;
        long closes;
        LocalDateTime first;
        LocalDateTime last;
    }

    private final Map<HourKey, Counts> hours = new HashMap<>();
    private final List<ConnectionEntry> rows = new ArrayList<>();
    private final List<Long> rowFiles = new ArrayList<>();

    void add(ConnectionEntry e, long fileId) {
        char code = e.code().charAt(0);
        Transport t = e.transportParts();
        if ((code == 'O' || code == 'C') && e.diagnostic() == null) {
            HourKey key = new HourKey(e.time().truncatedTo(ChronoUnit.HOURS), e.channel(), e.inbound(),
                    t == null || t.remoteIp() == null ? "" : t.remoteIp());
            Counts n = hours.computeIfAbsent(key, k -> new Counts());
            if (code == 'O') {
                n.opens++;
            } else {
                n.closes++;
            }
            n.first = n.first == null || e.time().isBefore(n.first) ? e.time() : n.first;
            n.last = n.last == null || e.time().isAfter(n.last) ? e.time() : n.last;
            return;
        }
        rows.add(e);
        rowFiles.add(fileId);
    }

    void write(Connection c, Ids ids) throws SQLException {
        if (!rows.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO connection (id, time, channel, inbound, code, "
                    + "remote_ip, remote_port, local_ip, local_port, application, process_id, username, diagnostic, "
                    + "file_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    ConnectionEntry e = rows.get(i);
                    Transport t = e.transportParts();
                    ps.setLong(1, ids.next(c));
                    ps.setTimestamp(2, Timestamp.valueOf(e.time()));
                    ps.setString(3, e.channel());
                    ps.setBoolean(4, e.inbound());
                    ps.setString(5, e.code());
                    ps.setString(6, t == null ? null : t.remoteIp());
                    MessageStore.setInt(ps, 7, t == null ? null : t.remotePort());
                    ps.setString(8, t == null ? null : t.localIp());
                    MessageStore.setInt(ps, 9, t == null ? null : t.localPort());
                    ps.setString(10, e.application());
                    ps.setString(11, e.processId());
                    ps.setString(12, e.username());
                    ps.setString(13, e.diagnostic() != null ? e.diagnostic() : e.detail());
                    ps.setLong(14, rowFiles.get(i));
                    ps.setLong(15, e.line());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (hours.isEmpty()) {
            return;
        }
        List<HourKey> keys = new ArrayList<>(hours.keySet());
        int[] updated;
        try (PreparedStatement up = c.prepareStatement("UPDATE connection_hour SET opens = opens + ?, "
                + "closes = closes + ?, first_time = LEAST(first_time, ?), last_time = GREATEST(last_time, ?) "
                + "WHERE bucket = ? AND channel = ? AND inbound = ? AND remote_ip = ?")) {
            for (HourKey k : keys) {
                Counts n = hours.get(k);
                up.setLong(1, n.opens);
                up.setLong(2, n.closes);
                up.setTimestamp(3, Timestamp.valueOf(n.first));
                up.setTimestamp(4, Timestamp.valueOf(n.last));
                up.setTimestamp(5, Timestamp.valueOf(k.bucket()));
                up.setString(6, k.channel());
                up.setBoolean(7, k.inbound());
                up.setString(8, k.remoteIp());
                up.addBatch();
            }
            updated = up.executeBatch();
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO connection_hour (bucket, channel, inbound, "
                + "remote_ip, opens, closes, first_time, last_time) VALUES (?,?,?,?,?,?,?,?)")) {
            boolean any = false;
            for (int i = 0; i < keys.size(); i++) {
                if (updated[i] == 0) {
                    HourKey k = keys.get(i);
                    Counts n = hours.get(k);
                    in.setTimestamp(1, Timestamp.valueOf(k.bucket()));
                    in.setString(2, k.channel());
                    in.setBoolean(3, k.inbound());
                    in.setString(4, k.remoteIp());
                    in.setLong(5, n.opens);
                    in.setLong(6, n.closes);
                    in.setTimestamp(7, Timestamp.valueOf(n.first));
                    in.setTimestamp(8, Timestamp.valueOf(n.last));
                    in.addBatch();
                    any = true;
                }
            }
            if (any) {
                in.executeBatch();
            }
        }
    }

    /** After the batch's transaction, committed or not, start empty. */
    void clear() {
        hours.clear();
        rows.clear();
        rowFiles.clear();
    }
}
