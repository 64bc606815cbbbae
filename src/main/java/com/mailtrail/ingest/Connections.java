package com.mailtrail.ingest;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Transport;
import com.mailtrail.store.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

    /** @param copy whether the database is PostgreSQL (IngestEngine.copies): the counts go by one upsert statement */
    void write(Connection c, boolean copy, Ids ids) throws SQLException {
        if (!rows.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO connection (id, time, channel, inbound, code, "
                    + "remote_ip, remote_port, local_ip, local_port, application, process_id, username, diagnostic, "
                    + "file_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    ConnectionEntry e = rows.get(i);
                    Transport t = e.transportParts();
                    ps.setLong(1, ids.next(c));
                    SqlTimes.set(ps, 2, e.time());
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
        Upsert counts = new Upsert("connection_hour", "bucket, channel, inbound, remote_ip",
                "opens, closes, first_time, last_time", Upsert.Merge.ADD, Upsert.Merge.ADD, Upsert.Merge.LEAST,
                Upsert.Merge.GREATEST);
        hours.forEach((k, n) -> counts.add(new Object[]{k.bucket(), k.channel(), k.inbound(), k.remoteIp()},
                n.opens, n.closes, n.first, n.last));
        counts.execute(c, copy);
    }
}
