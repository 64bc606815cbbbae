package com.mailtrail.dashboard;

import com.mailtrail.message.SearchForm;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads ?from=&to= as the search reads its own (SearchForm.start and end: ISO local date-times, as the log has no time
 * zone, or a date alone for the whole day); missing ones take the data's range.
 */
final class RangeParam {

    private RangeParam() {
    }

    static Optional<TimeRange> resolve(String from, String to, Supplier<Optional<TimeRange>> dataRange) {
        Optional<TimeRange> data = dataRange.get();
        if (blank(from) && blank(to)) {
            return data;
        }
        LocalDateTime f = blank(from) ? data.map(TimeRange::from).orElse(null) : SearchForm.start("from", from);
        LocalDateTime t = blank(to) ? data.map(TimeRange::to).orElse(null) : SearchForm.end("to", to);
        if (f == null || t == null) {
            return Optional.empty();
        }
        // in the search's words, whichever end was typed (one not given is the data's own)
        SearchForm.ordered("from", f, "to", t);
        TimeRange range = new TimeRange(f, t);
        // A range of two billion years (as LocalDateTime takes them) was drawn a bar per year until the server ran out
        // of memory. TimeRange now draws any range in about a thousand bars, but a typed range of more than a
        // thousand years is still refused: nothing an administrator looks for lies there, and a bar of a decade or
        // more is only for the loaded data's own range (a hostile log's dates of 0000 and 9999).
        if (ChronoUnit.YEARS.between(f, t) > MAX_YEARS) {
            throw new IllegalArgumentException("from and to may be at most " + MAX_YEARS + " years apart (the charts "
                    + "draw a bar per year beyond a hundred); got " + f + " to " + t);
        }
        return Optional.of(range);
    }

    /** The longest range a chart is drawn for, in years: at most this many bars. */
    static final int MAX_YEARS = 1000;

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
