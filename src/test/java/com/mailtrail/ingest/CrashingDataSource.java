package com.mailtrail.ingest;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data source whose n-th transaction that stores a batch (it lists search buckets) fails at its commit, as if the
 * process had died there: everything committed before stays, that transaction is rolled back. Or, more generally,
 * where something else happens just before that commit.
 */
public final class CrashingDataSource {

    private CrashingDataSource() {
    }

    public static DataSource failingBatch(DataSource real, int n) {
        return atBatch(real, n, () -> {
            throw new SQLException("simulated crash before commit");
        });
    }

    /** Something done on the writer's thread just before the n-th batch commits (a stop asked for, say). */
    public interface AtCommit {
        void run() throws SQLException;
    }

    /** A data source that runs {@code atCommit} before the commit of the n-th transaction storing a batch. */
    public static DataSource atBatch(DataSource real, int n, AtCommit atCommit) {
        AtomicInteger batches = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return method.getName().equals("getConnection")
                            ? connection((Connection) result, batches, n, atCommit) : result;
                });
    }

    private static Connection connection(Connection real, AtomicInteger batches, int n, AtCommit atCommit) {
        boolean[] storesBatch = new boolean[1];
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith(
                            "INSERT INTO search_bucket")) {
                        storesBatch[0] = true;
                    }
                    if (method.getName().equals("commit") && storesBatch[0]) {
                        storesBatch[0] = false;
                        if (batches.incrementAndGet() == n) {
                            atCommit.run();
                        }
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
