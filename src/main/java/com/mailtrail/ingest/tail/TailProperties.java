package com.mailtrail.ingest.tail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mailtrail.tail.*}: which log directories to follow.
 *
 * @param paths    directories to watch; none means the tailer is off
 * @param files    file name patterns (glob) in them. The rotated names belong here too: the nightly rotation renames
 *                 mail.log_current to mail.log_yesterday, and lines written just before that are read under the new
 *                 name. A followed file renamed to a name not matched here is still found in the directory by its
 *                 identity and read to its end, then let go
 * @param interval how often the directories are looked at
 */
@ConfigurationProperties("mailtrail.tail")
public record TailProperties(
        @DefaultValue List<Path> paths,
        @DefaultValue({"mail.log_current", "connection.log_current", "mail.log_yesterday", "connection.log_yesterday"})
        List<String> files,
        @DefaultValue("2s") Duration interval) {
}
