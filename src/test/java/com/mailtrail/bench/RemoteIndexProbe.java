package com.mailtrail.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * What an index on the remote address would buy the search by remote server (not a test): the day's and each hour's
 * messages of one address counted by the search's EXISTS (no index) and by an IN over plain indexes on
 * recipient.last_remote_ip and attempt.remote_ip, which it builds. On a COPY of the database ImportBenchmark left
 * (it adds the indexes): {@code java -cp ... com.mailtrail.bench.RemoteIndexProbe /tmp/copy/mailtrail}
 */
public final class RemoteIndexProbe {

    private RemoteIndexProbe() {
    }

    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + a[0] + ";QUERY_CACHE_SIZE=0", "sa", "")) {
            String ip = "203.0.113.23";
            String scan = "SELECT COUNT(*) FROM message m WHERE m.first_seen >= ? AND m.first_seen < ? AND (EXISTS (SELECT 1 FROM recipient r WHERE r.message_ref = m.id AND LOWER(r.last_remote_ip) = ?) OR EXISTS (SELECT 1 FROM attempt a JOIN recipient r ON r.id = a.recipient_ref WHERE a.message_ref = m.id AND a.outcome <> 'enqueued' AND LOWER(a.remote_ip) = ?))";
            String byIndex = "SELECT COUNT(*) FROM message m WHERE m.first_seen >= ? AND m.first_seen < ? AND m.id IN (SELECT x.message_ref FROM (SELECT r.message_ref FROM recipient r WHERE r.last_remote_ip = ? UNION SELECT a.message_ref FROM attempt a WHERE a.remote_ip = ? AND a.outcome <> 'enqueued') x)";
            {
                long t = System.nanoTime();
                c.createStatement().execute("CREATE INDEX IF NOT EXISTS probe_r ON recipient (last_remote_ip)");
                c.createStatement().execute("CREATE INDEX IF NOT EXISTS probe_a ON attempt (remote_ip)");
                System.out.printf("indexes built in %.1f s%n", (System.nanoTime() - t) / 1e9);
            }
            for (String[] q : new String[][]{{"no index (the search's EXISTS)", scan}, {"by index (IN over the address)", byIndex}}) {
                for (int round = 0; round < 2; round++) {
                    long t = System.nanoTime();
                    long n = count(c, q[1], "2026-03-02 00:00:00", "2026-03-03 00:00:00", ip);
                    double day = (System.nanoTime() - t) / 1e6;
                    long hn = 0;
                    t = System.nanoTime();
                    for (int h = 0; h < 24; h++) {
                        hn += count(c, q[1], String.format("2026-03-02 %02d:00:00", h), h == 23 ? "2026-03-03 00:00:00" : String.format("2026-03-02 %02d:00:00", h + 1), ip);
                    }
                    double hour = (System.nanoTime() - t) / 24e6;
                    if (round == 1) System.out.printf("%-34s whole day %7.0f ms (%d messages), an hour %6.1f ms (%d)%n", q[0], day, n, hour, hn / 24);
                }
            }
        }
    }
    static long count(Connection c, String sql, String from, String to, String ip) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setTimestamp(1, Timestamp.valueOf(from)); p.setTimestamp(2, Timestamp.valueOf(to)); p.setString(3, ip); p.setString(4, ip);
            try (ResultSet rs = p.executeQuery()) { rs.next(); return rs.getLong(1); }
        }
    }
}
