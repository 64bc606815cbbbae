package com.mailtrail.ingest;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A Flyway callback that does {@code action} as the migration of {@code version} begins: what a test needs to make
 * something happen in the middle of the server's start (the disk filling, a stop), registered as a bean.
 */
public record BeforeMigration(String version, Runnable action) implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        if (context.getMigrationInfo() != null
                && version.equals(context.getMigrationInfo().getVersion().getVersion())) {
            action.run();
        }
    }

    @Override
    public String getCallbackName() {
        return "before V" + version;
    }
}
