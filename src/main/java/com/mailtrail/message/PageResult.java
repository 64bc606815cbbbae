package com.mailtrail.message;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One page of a longer list: {@code total} is the exact number of matches, {@code page} 0-based. For a search of
 * messages with conditions on recipients, {@code recipients} is the exact number of recipients that meet them all
 * (what a dashboard bar counts); otherwise null, and left out of the JSON. With an outcome or a failure category,
 * {@code outcomes} is the exact number of those recipients' outcomes that match (what a bar of failure reasons,
 * destinations or deliveries per channel counts: a recipient deferred twice in the hour is two); otherwise null.
 */
public record PageResult<T>(long total, @JsonInclude(JsonInclude.Include.NON_NULL) Long recipients,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long outcomes, int page, int size,
                            List<T> items) {

    public PageResult {
        items = List.copyOf(items);
    }

    public PageResult(long total, int page, int size, List<T> items) {
        this(total, null, null, page, size, items);
    }
}
