package com.mailtrail.bench;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * A data source whose connections run queries (SELECT, the id sequence) on a real, empty database but accept every
 * INSERT, UPDATE, DELETE and MERGE without running it: an import through it costs reading, parsing, correlating and
 * laying out the rows, everything but the database's own work. That is the floor under any database: what
 * {@code ImportBenchmark ENTRIES none} prints.
 */
final class NoWriteDataSource implements DataSource {

    private final DataSource real;

    NoWriteDataSource(DataSource real) {
        this.real = real;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = real.getConnection();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && !isQuery((String) args[0])) {
                        return swallowing();
                    }
                    return invoke(method, c, args);
                });
    }

    private static boolean isQuery(String sql) {
        return sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT");
    }

    /** A statement that counts what is added to it and reports every row as written. */
    private static PreparedStatement swallowing() {
        int[] batched = new int[1];
        return (PreparedStatement) Proxy.newProxyInstance(NoWriteDataSource.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "addBatch" -> {
                        batched[0]++;
                        yield null;
                    }
                    case "executeBatch" -> {
                        int[] counts = new int[batched[0]];
                        java.util.Arrays.fill(counts, 1);
                        batched[0] = 0;
                        yield counts;
                    }
                    case "executeUpdate", "getUpdateCount" -> 1;
                    case "execute", "isClosed", "isWrapperFor" -> false;
                    case "unwrap" -> throw new SQLException("not a wrapper");
                    default -> null; // setters, clearParameters, close
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
