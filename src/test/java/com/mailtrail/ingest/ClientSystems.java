package com.mailtrail.ingest;

import com.mailtrail.parse.ClientSystem;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What V22 and the write path store of the enqueues' clients, and what they should store, read back for tests. */
public final class ClientSystems {

    private ClientSystems() {
    }

    /** client_system's rows, "host|ip|source", in order; each once. */
    public static List<String> listed(DataSource ds) {
        List<String> rows = new JdbcTemplate(ds).queryForList("SELECT host || '|' || ip || '|' || source "
                + "FROM client_system", String.class);
        assertThat(rows).as("each client once").doesNotHaveDuplicates();
        return List.copyOf(new TreeSet<>(rows));
    }

    /** The clients of the stored recipients' enqueues, as ClientSystem reads them, in the same form. */
    public static List<String> ofRows(DataSource ds) {
        TreeSet<String> out = new TreeSet<>();
        for (String source : new JdbcTemplate(ds).queryForList("SELECT DISTINCT enqueue_source FROM recipient "
                + "WHERE enqueue_source IS NOT NULL", String.class)) {
            ClientSystem c = ClientSystem.of(source);
            if (c != null) {
                out.add(c.host() + "|" + c.ip() + "|" + c.text());
            }
        }
        return List.copyOf(out);
    }

    /** Every recipient's client_ip is the address of its enqueue's source (null for none); returns how many have one. */
    public static long assertClientIps(DataSource ds) {
        long with = 0;
        for (Map<String, Object> r : new JdbcTemplate(ds).queryForList("SELECT id, enqueue_source, client_ip "
                + "FROM recipient")) {
            String expected = ClientSystem.ipOf((String) r.get("enqueue_source"));
            assertThat(r.get("client_ip")).as("client_ip of %s", r).isEqualTo(expected);
            with += Objects.isNull(expected) ? 0 : 1;
        }
        return with;
    }
}
