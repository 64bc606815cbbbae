package com.mailtrail.dashboard;

import com.mailtrail.message.SearchForm;

import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads ?from=&to= (ISO local date-times, as the log has no time zone); missing ones take the data's range. */
final class RangeParam {

    private RangeParam() {
    }

    static Optional<TimeRange> resolve(String from, String to, Supplier<Optional<TimeRange>> dataRange) {
        Optional<TimeRange> data = dataRange.get();
        if (blank(from) && blank(to)) {
            return data;
        }
        LocalDateTime f = blank(from) ? data.map(TimeRange::from).orElse(null) : SearchForm.time("from", from);
        LocalDateTime t = blank(to) ? data.map(TimeRange::to).orElse(null) : SearchForm.time("to", to);
        if (f == null || t == null) {
            return Optional.empty();
        }
        return Optional.of(new TimeRange(f, t));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
