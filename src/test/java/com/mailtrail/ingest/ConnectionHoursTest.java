package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.parse.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection opens and closes per hour, channel, direction and remote address (connection_hour) as the parser's own
 * reading of the log counts them, after an import in many small batches that each add to the hours they saw: on H2
 * and PostgreSQL. (The tailing tests compare the table with a one-go import; this compares it with the log.)
 */
class ConnectionHoursTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theStoredHoursAreThoseOfTheLog(String kind) throws IOException {
        byte[] log = log(400, 17);
        Map<String, long[]> expected = new TreeMap<>();
        new LogReader(LogOptions.auto()).read(new ByteArrayInputStream(log), new LogReader.Sink() {
            @Override
            public void entry(Entry entry) {
                if (entry instanceof ConnectionEntry e && e.diagnostic() == null
                        && (e.code().startsWith("O") || e.code().startsWith("C"))) {
                    Transport t = e.transportParts();
                    String key = key(Timestamp.valueOf(e.time().truncatedTo(ChronoUnit.HOURS)), e.channel(),
                            e.inbound(), t == null || t.remoteIp() == null ? "" : t.remoteIp());
                    long[] n = expected.computeIfAbsent(key, k -> new long[2]);
                    n[e.code().startsWith("O") ? 0 : 1]++;
                }
            }

            @Override
            public void rejected(LogReader.Rejection rejection) {
            }
        });
        assertThat(expected.keySet().stream().map(k -> k.substring(0, 13)).distinct().count())
                .as("hours in the log").isGreaterThan(10);

        DataSource ds = TestDatabase.pooled(kind);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), 100); // many batches per hour
        engine.ingest(engine.createSource("test", "hours"), "hours.log", new ByteArrayInputStream(log),
                LogOptions.auto(), new Progress());

        Map<String, long[]> stored = new TreeMap<>();
        new JdbcTemplate(ds).query("SELECT bucket, channel, inbound, remote_ip, opens, closes FROM connection_hour",
                rs -> {
                    stored.put(key(rs.getTimestamp(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)),
                            new long[]{rs.getLong(5), rs.getLong(6)});
                });
        assertThat(stored.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, n) -> assertThat(stored.get(k)).as(k).containsExactly(n));
    }

    private static String key(Timestamp hour, String channel, boolean inbound, String ip) {
        return hour + " " + channel + " " + inbound + " " + ip;
    }

    private static byte[] log(int messages, long seed) throws IOException {
        StringWriter out = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
