package com.mailtrail.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code mailtrail.retention.*}: how much history is kept (see {@link Retention}).
 *
 * @param days     days of log time kept, counted back from the newest message stored; 0 keeps everything
 * @param interval how often old data is looked for and removed
 */
@ConfigurationProperties("mailtrail.retention")
public record RetentionProperties(@DefaultValue("0") int days, @DefaultValue("1h") Duration interval) {

    public RetentionProperties {
        if (days < 0) {
            throw new IllegalArgumentException("mailtrail.retention.days must be 0 (keep everything) or more, not "
                    + days);
        }
    }
}
