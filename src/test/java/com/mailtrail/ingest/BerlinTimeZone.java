package com.mailtrail.ingest;

import org.h2.util.DateTimeUtils;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.TimeZone;

/**
 * Runs a test in a JVM whose default time zone is Europe/Berlin, where 02:00-03:00 on 29 March 2026 does not exist
 * (the clocks go forward), and puts the zone back afterwards. H2 keeps the zone it saw first, so it is told both times.
 */
public final class BerlinTimeZone implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BerlinTimeZone.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("zone", TimeZone.getDefault());
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        DateTimeUtils.resetCalendar();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TimeZone.setDefault(context.getStore(NS).get("zone", TimeZone.class));
        DateTimeUtils.resetCalendar();
    }
}
