package com.mailtrail.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import java.sql.SQLException;

/**
 * Lets Mailtrail work again after its embedded H2 database closed under it. H2 closes the database for good when it
 * cannot write its file (a full disk, an I/O error), and every session on it then fails with "The database has been
 * closed"; the connection pool, which takes only network errors for fatal, would hand those sessions out again and
 * again (every page a 500 until a restart), and the database stays open in H2 as long as one session does. So at the
 * first such error every pooled connection is dropped (those in use when they come back): with its last session
 * gone H2 lets the database go, and the next connection opens the file again, as at a start, from its last commit.
 * Once the disk has room again, Mailtrail works as before. Set on every Hikari pool of an H2 URL.
 */
@Component
public class ClosedDatabaseEviction implements BeanPostProcessor {

    /** org.h2.api.ErrorCode.DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN. */
    static final int H2_DATABASE_IS_CLOSED = 90098;
    static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        // Before the pool starts (on the first connection, which Flyway asks for later): its settings are sealed then.
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null && ds.getJdbcUrl().startsWith("jdbc:h2:")) {
            ds.setExceptionOverride(new Adjudicator(ds));
        }
        return bean;
    }

    /** What the pool asks about each SQLException that passes through one of its connections. */
    static final class Adjudicator implements SQLExceptionOverride {
        private final HikariDataSource pool;

        Adjudicator(HikariDataSource pool) {
            this.pool = pool;
        }

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            if (e.getErrorCode() != H2_DATABASE_IS_CLOSED && e.getErrorCode() != H2_DATABASE_CALLED_AT_SHUTDOWN) {
                return Override.CONTINUE_EVICT; // the pool's own judgement
            }
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
            return Override.MUST_EVICT;
        }
    }
}
