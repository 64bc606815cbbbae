package com.mailtrail.message;

import java.util.List;

/** One page of a longer list: {@code total} is the exact number of matches, {@code page} 0-based. */
public record PageResult<T>(long total, int page, int size, List<T> items) {

    public PageResult {
        items = List.copyOf(items);
    }
}
