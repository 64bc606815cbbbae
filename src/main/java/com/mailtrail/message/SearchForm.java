package com.mailtrail.message;

import com.mailtrail.parse.Category;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The message search as typed into a query string or a form: every value a string, so that binding never fails and
 * {@link #toCriteria()} can say exactly what is wrong. Blank means "not given".
 */
public record SearchForm(String messageId, String recipient, String sender, String from, String to, String status,
                         String channel, String category, String page, String size, String sort, String source, String attempts,
                         String delay, String outcome, String eventFrom, String eventTo, String deliveredTo,
                         String enqueuedFrom, String enqueuedTo, String remote, String client) {

    /** A search by neither remote nor client system, as the searches written before those existed build it. */
    public SearchForm(String messageId, String recipient, String sender, String from, String to, String status,
                      String channel, String category, String page, String size, String sort, String source,
                      String attempts, String delay, String outcome, String eventFrom, String eventTo,
                      String deliveredTo, String enqueuedFrom, String enqueuedTo) {
        this(messageId, recipient, sender, from, to, status, channel, category, page, size, sort, source, attempts,
                delay, outcome, eventFrom, eventTo, deliveredTo, enqueuedFrom, enqueuedTo, null, null);
    }

    /** The recipient statuses, most alarming first, as a message's own status ranks them. */
    static final List<String> STATUSES = List.of("bounced", "rejected", "deferred", "queued", "delivered");
    /**
     * The search's status for a recipient still waiting, deferred or queued (enqueued, no outcome yet): what the Queue
     * page counts, so that its rows can link to a search listing all of it.
     */
    public static final String WAITING = "waiting";
    /** The search's deliveredTo for a recipient without a domain: the Queue page's "(no domain)" row links to it. */
    public static final String NO_DOMAIN = "@";
    /** The dashboard's time-to-delivery buckets, as [from, to) seconds. */
    static final java.util.Map<String, long[]> DELAYS = delays();

    private static java.util.Map<String, long[]> delays() {
        java.util.Map<String, long[]> m = new java.util.LinkedHashMap<>();
        m.put("<1m", new long[]{0, 60});
        m.put("1-5m", new long[]{60, 300});
        m.put("5-30m", new long[]{300, 1800});
        m.put("30m-1h", new long[]{1800, 3600});
        m.put("1-4h", new long[]{3600, 4 * 3600});
        m.put("4-24h", new long[]{4 * 3600, 24 * 3600});
        m.put(">1d", new long[]{24 * 3600, Long.MAX_VALUE});
        return java.util.Collections.unmodifiableMap(m);
    }

    static final List<String> CATEGORIES = Stream.of(Category.values()).map(Category::key).toList();

    /**
     * The outcomes a search can ask for, as the charts name them (Outcomes): handoff is a relay channel's D that handed
     * the recipient on, which delivered leaves out.
     */
    static final List<String> OUTCOMES = List.of("delivered", "deferred", "bounced", "rejected", "handoff");

    static SearchForm messageIdOnly(String id) {
        return new SearchForm(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    static SearchForm recipientOnly(String address) {
        return new SearchForm(null, address, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    static SearchForm senderOnly(String address) {
        return new SearchForm(null, null, address, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** Checks and converts every value; throws {@link InvalidParameterException} naming the first bad one. */
    public MessageCriteria toCriteria() {
        List<String> ids = null;
        if (given(messageId)) {
            String id = messageId.strip();
            // A notification's id as its log line writes it, <new>,<original>: copied whole from the line. Its
            // message is stored under the new id (the original is the message it reports on).
            int comma = id.indexOf(">,<");
            if (id.startsWith("<") && comma > 0) {
                id = id.substring(0, comma + 1);
            }
            boolean bracketed = id.startsWith("<") && id.endsWith(">");
            ids = bracketed ? List.of(id) : List.of("<" + id + ">", id);
        }
        AddressMatch r = given(recipient) ? AddressMatch.parse("recipient", recipient) : null;
        AddressMatch s = given(sender) ? AddressMatch.parse("sender", sender) : null;
        LocalDateTime f = given(from) ? start("from", from) : null;
        LocalDateTime t = given(to) ? end("to", to) : null;
        ordered("from", f, "to", t);
        String st = searchStatus(status);
        String ch = null;
        if (given(channel)) {
            // Channel names are case-insensitive to the MTA and typed as the administrator likes (TCP_LOCAL); the
            // log writes them as configured, usually in lower case. Compared in lower case on both sides.
            ch = channel.strip().toLowerCase(Locale.ROOT);
            if (ch.length() > 100) {
                throw new InvalidParameterException("channel is longer than any channel name (100 characters)");
            }
        }
        String cat = null;
        if (given(category)) {
            cat = category.strip().toLowerCase(Locale.ROOT);
            if (!CATEGORIES.contains(cat)) {
                throw new InvalidParameterException("category must be one of " + String.join(", ", CATEGORIES)
                        + "; got '" + shown(category) + "'");
            }
        }
        Long src = given(source) ? (long) number("source", source, 1, Integer.MAX_VALUE, "a source id") : null;
        Integer tries = given(attempts) ? number("attempts", attempts, 1, 10, "1 to 10 (10 meaning ten or more)") : null;
        String d = null;
        if (given(delay)) {
            d = delay.strip().toLowerCase(Locale.ROOT);
            if (!DELAYS.containsKey(d)) {
                throw new InvalidParameterException("delay must be one of " + String.join(", ", DELAYS.keySet())
                        + "; got '" + shown(delay) + "'");
            }
        }
        String out = null;
        if (given(outcome)) {
            out = outcome.strip().toLowerCase(Locale.ROOT);
            if (!OUTCOMES.contains(out)) {
                throw new InvalidParameterException("outcome must be one of " + String.join(", ", OUTCOMES) + "; got '"
                        + shown(outcome) + "'");
            }
        }
        LocalDateTime ef = given(eventFrom) ? start("eventFrom", eventFrom) : null;
        LocalDateTime et = given(eventTo) ? end("eventTo", eventTo) : null;
        ordered("eventFrom", ef, "eventTo", et);
        LocalDateTime qf = given(enqueuedFrom) ? start("enqueuedFrom", enqueuedFrom) : null;
        LocalDateTime qt = given(enqueuedTo) ? end("enqueuedTo", enqueuedTo) : null;
        ordered("enqueuedFrom", qf, "enqueuedTo", qt);
        RemoteMatch rem = given(remote) ? RemoteMatch.parse("remote", remote) : null;
        RemoteMatch cli = given(client) ? RemoteMatch.parse("client", client) : null;
        return new MessageCriteria(ids, r, s, f, t, st, ch, cat, page(page), size(size), ascending(sort), src, tries,
                d == null ? null : DELAYS.get(d), out, ef, et, domain("deliveredTo", deliveredTo), qf, qt, rem, cli);
    }

    /**
     * The domain delivered to (the failing destinations' and the Queue page's domain), lower case, without the '@'
     * it may be given with; {@link MessageCriteria#NO_DOMAIN} for {@value #NO_DOMAIN} alone, nothing after the @: the
     * Queue page's recipients without a domain (no stored domain holds an @, so none can be taken for it); null when
     * not given.
     */
    private static String domain(String what, String v) {
        if (!given(v)) {
            return null;
        }
        String d = v.strip().toLowerCase(Locale.ROOT);
        if (d.equals(NO_DOMAIN)) {
            return MessageCriteria.NO_DOMAIN;
        }
        d = d.startsWith("@") ? d.substring(1) : d;
        if (d.isEmpty() || d.indexOf('@') >= 0 || d.indexOf('*') >= 0) {
            throw new InvalidParameterException(what + " must be a domain, as in example.com, or @ alone for a "
                    + "recipient without one; got '" + shown(v) + "'");
        }
        return d;
    }

    /** A 0-based page number; 0 when not given. Read so on every page and API address that pages (connections too). */
    public static int page(String page) {
        return given(page) ? number("page", page, 0, Integer.MAX_VALUE, "a whole number from 0") : 0;
    }

    /** A page size up to {@link MessageCriteria#MAX_SIZE}; {@link MessageCriteria#DEFAULT_SIZE} when not given. */
    static int size(String size) {
        return given(size) ? number("size", size, 1, MessageCriteria.MAX_SIZE,
                "a whole number from 1 to " + MessageCriteria.MAX_SIZE) : MessageCriteria.DEFAULT_SIZE;
    }

    private static boolean ascending(String sort) {
        if (!given(sort)) {
            return false;
        }
        String v = sort.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        return switch (v) {
            case "time", "time,desc" -> false;
            case "time,asc" -> true;
            default -> throw new InvalidParameterException("sort must be time (newest first) or time,asc (oldest "
                    + "first); got '" + shown(sort) + "'");
        };
    }

    /** A recipient status, lower case; null when not given. */
    static String status(String what, String v) {
        if (!given(v)) {
            return null;
        }
        String st = v.strip().toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(st)) {
            throw new InvalidParameterException(what + " must be one of delivered, bounced, deferred, queued, "
                    + "rejected; got '" + shown(v) + "'");
        }
        return st;
    }

    /** What the search's status may be: a recipient status, or {@link #WAITING}. */
    private static String searchStatus(String v) {
        if (given(v) && v.strip().equalsIgnoreCase(WAITING)) {
            return WAITING;
        }
        if (given(v) && !STATUSES.contains(v.strip().toLowerCase(Locale.ROOT))) {
            throw new InvalidParameterException("status must be one of delivered, bounced, deferred, queued, "
                    + "rejected, waiting (deferred or queued); got '" + shown(v) + "'");
        }
        return status("status", v);
    }

    static boolean given(String v) {
        return v != null && !v.isBlank();
    }

    /**
     * The start of a range: a date-time, or a date alone (as typed: "the 29th"), which starts at its 00:00. Every
     * range in the product (search, dashboard, charts, connections) is read here and by {@link #end}, so that each
     * takes the same forms and refuses a bad one in the same words.
     */
    public static LocalDateTime start(String what, String v) {
        LocalDate day = day(v);
        return day != null ? day.atStartOfDay() : time(what, v);
    }

    /** The end of a range (exclusive): a date alone ends at the next day's 00:00, so the day is included. */
    public static LocalDateTime end(String what, String v) {
        LocalDate day = day(v);
        return day != null ? day.plusDays(1).atStartOfDay() : time(what, v);
    }

    /** A bare date (2026-11-29), or null when the value is something else. */
    private static LocalDate day(String v) {
        try {
            return LocalDate.parse(v.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A date-time, refused in words that also offer the date alone {@link #start} and {@link #end} take. */
    private static LocalDateTime time(String what, String v) {
        try {
            return LocalDateTime.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(what + " must be an ISO-8601 local date-time such as 2026-03-02T10:00 "
                    + "or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got '" + shown(v) + "'");
        }
    }

    /**
     * The search page's From and To inputs (datetime-local, which shows a bare date as empty, and the next search
     * would lose it): a date given alone as the date-time it stands for, anything else as typed.
     */
    public String fromInput() {
        LocalDate d = given(from) ? day(from) : null;
        return d == null ? from : d.atStartOfDay().toString();
    }

    public String toInput() {
        LocalDate d = given(to) ? day(to) : null;
        return d == null ? to : d.plusDays(1).atStartOfDay().toString();
    }

    /**
     * A range that ends before it starts (or where it starts) is refused in these words on every page and API: the
     * search, the dashboard, the charts and the connections. Either end may be null (not given).
     */
    public static void ordered(String fromName, LocalDateTime from, String toName, LocalDateTime to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidParameterException(fromName + " must be before " + toName + " (" + fromName
                    + " is inclusive, " + toName + " exclusive)");
        }
    }

    static int number(String what, String v, int min, int max, String expected) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same message as a number out of range
        }
        throw new InvalidParameterException(what + " must be " + expected + "; got '" + shown(v) + "'");
    }

    /** User input echoed in an error, cut short so that a huge parameter does not make a huge answer. */
    /** A refused value as an error message quotes it: cut short, since it may be any length. */
    public static String shown(String v) {
        return v.length() > 80 ? v.substring(0, 80) + "..." : v;
    }
}
