package com.mailtrail.parse;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Reads {@code DD-Mon-YYYY HH:MM:SS.cc} (any month case, optional fraction) and ISO {@code YYYY-MM-DDTHH:MM:SS.cc}.
 * One instance per file: it keeps the last date, since consecutive lines almost always share it.
 */
final class Timestamps {

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec"};

    private int lastYear;
    private int lastMonth;
    private int lastDay;
    private LocalDate lastDate;
    /** The bytes {@code DD-Mon-YYYY } of the last line whose date was read in that form, and that date packed. */
    private long vmsDate0;
    private long vmsDate1;
    private int vmsDate;

    /** Set by {@link #read} on success: where the timestamp ends. */
    int end;
    /** Set by {@link #read} on failure: why. */
    String error;

    /** True when the bytes at {@code s} start like a timestamp of either form (two or four digits then '-'). */
    static boolean looksLikeTimestamp(byte[] b, int s, int e) {
        if (e - s >= 3 && Text.isDigit(b[s]) && Text.isDigit(b[s + 1]) && b[s + 2] == '-') {
            return true;
        }
        return e - s >= 5 && Text.isDigit(b[s]) && Text.isDigit(b[s + 1]) && Text.isDigit(b[s + 2])
                && Text.isDigit(b[s + 3]) && b[s + 4] == '-';
    }

    LocalDateTime read(byte[] b, int s, int e) {
        error = null;
        if (e - s >= 5 && Text.isDigit(b[s + 2]) && b[s + 4] == '-') {
            return readIso(b, s, e);
        }
        return readVms(b, s, e);
    }

    private LocalDateTime readVms(byte[] b, int s, int e) {
        // DD-Mon-YYYY HH:MM:SS[.ff]
        if (e - s < 20) {
            return fail("no timestamp (DD-Mon-YYYY HH:MM:SS)");
        }
        long w0 = Text.word(b, s);
        long w1 = Text.word(b, s + 4);
        if (w0 == vmsDate0 && w1 == vmsDate1 && vmsDate != 0) {
            // The same "DD-Mon-YYYY " as a line before: its checks passed then.
            return time(b, s + 12, e, vmsDate >> 9, (vmsDate >> 5) & 15, vmsDate & 31);
        }
        int day = twoDigits(b, s);
        if (day < 0 || b[s + 2] != '-' || b[s + 6] != '-') {
            return fail("no timestamp (DD-Mon-YYYY HH:MM:SS)");
        }
        int month = month(b, s + 3);
        if (month < 0) {
            return fail("invalid date: unknown month '" + Text.decode(b, s + 3, s + 6) + "'");
        }
        int year = fourDigits(b, s + 7);
        if (year < 0 || (s + 11 < e && Text.isDigit(b[s + 11]))) {
            return fail("invalid date: the year must have four digits");
        }
        if (b[s + 11] != ' ') {
            return fail("invalid date: the year must have four digits");
        }
        LocalDateTime t = time(b, s + 12, e, year, month, day);
        if (t != null) {
            vmsDate0 = w0;
            vmsDate1 = w1;
            vmsDate = year << 9 | month << 5 | day;
        }
        return t;
    }

    private LocalDateTime readIso(byte[] b, int s, int e) {
        // YYYY-MM-DDTHH:MM:SS[.ff]
        if (e - s < 19) {
            return fail("no timestamp (YYYY-MM-DDTHH:MM:SS)");
        }
        int year = fourDigits(b, s);
        int month = twoDigits(b, s + 5);
        int day = twoDigits(b, s + 8);
        if (year < 0 || month < 0 || day < 0 || b[s + 7] != '-' || (b[s + 10] != 'T' && b[s + 10] != ' ')) {
            return fail("no timestamp (YYYY-MM-DDTHH:MM:SS)");
        }
        return time(b, s + 11, e, year, month, day);
    }

    private LocalDateTime time(byte[] b, int p, int e, int year, int month, int day) {
        if (e - p < 8 || b[p + 2] != ':' || b[p + 5] != ':') {
            return fail("no time of day (HH:MM:SS)");
        }
        int hour = twoDigits(b, p);
        int minute = twoDigits(b, p + 3);
        int second = twoDigits(b, p + 6);
        if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59) {
            return fail("invalid time of day '" + Text.decode(b, p, p + 8) + "'");
        }
        int q = p + 8;
        int nanos = 0;
        if (q < e && b[q] == '.') {
            q++;
            int digits = 0;
            int scale = 100_000_000;
            while (q < e && Text.isDigit(b[q])) {
                if (digits < 9) {
                    nanos += (b[q] - '0') * scale;
                    scale /= 10;
                }
                digits++;
                q++;
            }
            if (digits == 0) {
                return fail("no digits after the seconds' point");
            }
        }
        if (q < e && b[q] != ' ' && b[q] != '\t') {
            return fail("unexpected text after the time");
        }
        LocalDate date = date(year, month, day);
        if (date == null) {
            return fail(String.format("invalid date %04d-%02d-%02d", year, month, day));
        }
        end = q;
        return LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos));
    }

    private LocalDate date(int year, int month, int day) {
        if (year == lastYear && month == lastMonth && day == lastDay) {
            return lastDate;
        }
        if (month < 1 || month > 12 || day < 1 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
            return null;
        }
        lastYear = year;
        lastMonth = month;
        lastDay = day;
        lastDate = LocalDate.of(year, month, day);
        return lastDate;
    }

    private LocalDateTime fail(String why) {
        error = why;
        return null;
    }

    private static int month(byte[] b, int p) {
        int c0 = b[p] | 0x20;
        int c1 = b[p + 1] | 0x20;
        int c2 = b[p + 2] | 0x20;
        for (int i = 0; i < MONTHS.length; i++) {
            String m = MONTHS[i];
            if (m.charAt(0) == c0 && m.charAt(1) == c1 && m.charAt(2) == c2) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int twoDigits(byte[] b, int p) {
        if (!Text.isDigit(b[p]) || !Text.isDigit(b[p + 1])) {
            return -1;
        }
        return (b[p] - '0') * 10 + (b[p + 1] - '0');
    }

    private static int fourDigits(byte[] b, int p) {
        int hi = twoDigits(b, p);
        int lo = twoDigits(b, p + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }
}
