package db.migration;

import com.mailtrail.parse.ClientSystem;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The search by client (client=) read every recipient row of its range: it matches the enqueue's source system
 * ({@code helo (rdns [ip])}, recipient.enqueue_source) with LIKE patterns, which no index serves. This adds the client's
 * address as a column of its own (recipient.client_ip, the address in the text's last brackets), an index on it led by
 * the bucket of the row id as the address indexes are (SearchBuckets), and client_system, the distinct clients
 * (ClientSystem: host, address, and the whole text where it is of no form the log writes), in which the search finds
 * the addresses of the matching clients to seek. The write path fills both for new rows (MessageStore.Plan); this
 * fills them for the rows stored, with the same function (ClientSystem), which SQL alone could not share on H2 and
 * PostgreSQL.
 *
 * <p>In pages of recipients by id; one transaction, as Flyway runs a migration. H2 commits DDL at once, so every part
 * is added only if missing and every write may be done twice: after a stop half-way, the next start does it again.
 */
public class V22__client_systems extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V22__client_systems.class);

    /** Recipients per page. */
    static final int PAGE = 10_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE recipient ADD COLUMN IF NOT EXISTS client_ip VARCHAR(" + ClientSystem.MAX_IP + ")");
            s.execute("CREATE TABLE IF NOT EXISTS client_system (host VARCHAR(2000) NOT NULL, ip VARCHAR("
                    + ClientSystem.MAX_IP + ") NOT NULL, source VARCHAR(2000) NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS client_system_pair ON client_system (host, ip)");
        }
        long[] counts = fill(c, PAGE);
        // After the rows are filled: an index built once costs less than one kept up through every update.
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS recipient_client_ip ON recipient (search_bucket, client_ip)");
        }
        log.info("The clients of the stored enqueues are listed: {} recipients with an address, {} clients",
                counts[0], counts[1]);
    }

    /** Fills recipient.client_ip and client_system from the stored sources; returns the rows set and the clients. */
    public static long[] fill(Connection c, int page) throws SQLException {
        Set<ClientSystem> clients = new HashSet<>();
        long set = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement read = c.prepareStatement("SELECT id, enqueue_source FROM recipient WHERE id > ? "
                + "AND enqueue_source IS NOT NULL ORDER BY id FETCH FIRST " + page + " ROWS ONLY");
             PreparedStatement update = c.prepareStatement("UPDATE recipient SET client_ip = ? WHERE id = ?")) {
            while (true) {
                read.setLong(1, after);
                int rows = 0;
                int batched = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong(1);
                        String source = rs.getString(2);
                        ClientSystem client = ClientSystem.of(source);
                        if (client != null) {
                            clients.add(client);
                        }
                        String ip = ClientSystem.ipOf(source);
                        if (ip != null) {
                            update.setString(1, ip);
                            update.setLong(2, after);
                            update.addBatch();
                            batched++;
                        }
                    }
                }
                if (batched > 0) {
                    update.executeBatch();
                    set += batched;
                }
                if (rows < page) {
                    break;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_system (host, ip, source) SELECT ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM client_system WHERE host = ? AND ip = ? AND source = ?)")) {
            for (ClientSystem client : clients) {
                ps.setString(1, client.host());
                ps.setString(2, client.ip());
                ps.setString(3, client.text());
                ps.setString(4, client.host());
                ps.setString(5, client.ip());
                ps.setString(6, client.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new long[]{set, clients.size()};
    }
}
