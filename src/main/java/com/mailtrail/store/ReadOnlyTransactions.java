package com.mailtrail.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The transaction manager Spring Boot would make, except that a read-only transaction whose rollback fails lets the
 * failure that caused the rollback through. The reads of pages and the API run in read-only transactions; when their
 * database session breaks (PostgreSQL restarted or stopped, H2 closed on a full disk) the query fails, the pool closes
 * the session, and the rollback then fails on the closed session. That failure ("Unable to rollback against JDBC
 * Connection", with the cause "Connection is closed") replaced the database's own, so the request was an unexpected
 * 500 instead of the 503 that says what happened, and the real cause was logged apart. A read-only transaction has
 * nothing to undo, and a server ends the transaction of a session that is gone.
 */
@Configuration(proxyBeanMethods = false)
class ReadOnlyTransactions {

    @Bean
    JpaTransactionManager transactionManager(ObjectProvider<TransactionManagerCustomizers> customizers) {
        JpaTransactionManager manager = new ReadOnlyRollbackTolerant();
        customizers.ifAvailable(c -> c.customize(manager));
        return manager;
    }

    static final class ReadOnlyRollbackTolerant extends JpaTransactionManager {
        private static final Logger log = LoggerFactory.getLogger(ReadOnlyTransactions.class);

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            try {
                super.doRollback(status);
            } catch (TransactionException | DataAccessException e) {
                if (!status.isReadOnly()) {
                    throw e;
                }
                log.debug("the rollback of a read-only transaction failed; the failure before it is reported", e);
            }
        }
    }
}
