package com.mailtrail.ingest;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.store.FullDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first start after an upgrade runs V22, which rewrites every recipient row, and the disk fills under it: the
 * start fails with what happened and what to do, not a page of stack trace whose last cause was Flyway failing to
 * read its history table in the database H2 had closed; once there is room, the next start runs V22 again and keeps
 * every stored message.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationOnFullDiskTest {

    @TempDir
    Path dir;

    @AfterEach
    void room() {
        FullDisk.full = false;
    }

    /** Fills the disk as V22 begins: H2 fails when it next writes its file, in the middle of the migration. */
    @Configuration(proxyBeanMethods = false)
    static class DiskFillsAtV22 {
        @Bean
        BeforeMigration fillTheDisk() {
            return new BeforeMigration("22", () -> FullDisk.full = true);
        }
    }

    @Test
    void aMigrationThatFillsTheDiskSaysSoAndRunsAgainOnceThereIsRoom(CapturedOutput output) throws Exception {
        String plain = "jdbc:h2:" + dir.resolve("mailtrail");
        MigrationCompactionTest.databaseBeforeV22(plain);
        long stored;
        try (Connection c = DriverManager.getConnection(plain, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message")) {
            rs.next();
            stored = rs.getLong(1);
        }
        assertThat(stored).isPositive();
        FullDisk.register();
        // a small cache, as a large database is to any cache: H2 writes its file while V22 runs
        String url = "jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";CACHE_SIZE=1024";
        assertThatThrownBy(() -> start(url, DiskFillsAtV22.class)).isNotNull();
        assertThat(FullDisk.refused.get()).as("H2's writes refused").isPositive();
        String said = output.getAll();
        assertThat(said).contains("APPLICATION FAILED TO START", "Mailtrail could not start: the database",
                dir.resolve("mailtrail.mv.db").toString(), "Make room on the disk that holds the database");
        assertThat(said.substring(said.indexOf("APPLICATION FAILED TO START"))).doesNotContain("\tat org.h2",
                "\tat org.flywaydb");

        FullDisk.full = false;
        try (ConfigurableApplicationContext app = start(url)) {
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '22' "
                    + "AND \"success\"", Long.class)).isOne();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class)).isEqualTo(stored);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recipient WHERE client_ip IS NOT NULL", Long.class))
                    .isPositive();
        }
    }

    private static ConfigurableApplicationContext start(String url, Class<?>... more) {
        Class<?>[] sources = new Class<?>[more.length + 1];
        sources[0] = MailtrailApplication.class;
        System.arraycopy(more, 0, sources, 1, more.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
                .run("--spring.datasource.url=" + url, "--mailtrail.tail.paths=");
    }
}
