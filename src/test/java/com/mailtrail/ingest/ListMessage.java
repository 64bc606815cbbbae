package com.mailtrail.ingest;

import java.util.Locale;

/**
 * The log lines of one list message: a message to {@code members} recipients, all enqueued first and delivered
 * later, every {@code deferEvery}th member after one deferral. What a mailing list of a university or an ISP sends,
 * and the worst case of correlation: one message recomputed at every batch that brings more of its lines.
 *
 * <p>Two shapes: {@link #of} gives every member an original recipient of its own (a bulk mailing: each address was
 * on the envelope), {@link #expansion} the one original recipient of a real list expansion, the list's address, that
 * every member logs with an active address of its own ({@code rfc822;everyone@lists.example.org
 * member7@ims-ms-daemon}).
 */
public record ListMessage(String enqueues, String outcomes) {

    /** What the lines log besides the addresses: as LOG_MESSAGE_ID and LOG_FILENAME set. */
    public enum Logging {
        /** Message-IDs and queue file names. */
        IDS,
        /** Queue file names, no Message-IDs. */
        FILENAME,
        /** Neither. */
        NONE;

        /** "ids", "filename" or "none". */
        public static Logging of(String name) {
            for (Logging l : values()) {
                if (l.name().equalsIgnoreCase(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("logging must be ids, filename or none, not " + name);
        }
    }

    private static final String LIST = "everyone@lists.example.org";

    public static ListMessage of(int members, int deferEvery) {
        return of(members, deferEvery, 0);
    }

    /** As {@link #of(int, int)}, every {@code bounceEvery}th member (0: none) bounced instead of delivered. */
    public static ListMessage of(int members, int deferEvery, int bounceEvery) {
        return build(members, deferEvery, bounceEvery, false, Logging.IDS);
    }

    /**
     * A list expansion: as {@link #of(int, int)}, but every member logs the list's address as its original
     * recipient, so that all of them share it.
     */
    public static ListMessage expansion(int members, int deferEvery, Logging logging) {
        return build(members, deferEvery, 0, true, logging);
    }

    private static ListMessage build(int members, int deferEvery, int bounceEvery, boolean expansion,
                                     Logging logging) {
        StringBuilder enqueues = new StringBuilder();
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < members; i++) {
            enqueues.append(line(i, 10 * 3600 + i / 100.0, "tcp_intranet ims-ms", 'E', "mailsrv", expansion,
                    logging));
        }
        for (int i = 0; i < members; i++) {
            if (i % deferEvery == 0) {
                outcomes.append(line(i, 11 * 3600 + i / 100.0, "ims-ms", 'Q', "Mailbox is busy", expansion,
                        logging));
            }
            boolean bounced = bounceEvery > 0 && i % bounceEvery == bounceEvery - 1;
            outcomes.append(line(i, 12 * 3600 + i / 100.0, "ims-ms", bounced ? 'R' : 'D',
                    bounced ? "550 5.1.1 unknown or illegal alias" : "", expansion, logging));
        }
        return new ListMessage(enqueues.toString(), outcomes.toString());
    }

    /** The line of member i at the given second of 2 Mar 2026. */
    private static String line(int member, double second, String channels, char action, String tail,
                               boolean expansion, Logging logging) {
        int s = (int) second;
        String time = String.format(Locale.ROOT, "02-Mar-2026 %02d:%02d:%05.2f", s / 3600, s / 60 % 60, second % 60);
        String original = expansion ? LIST : "member" + member + "@example.com";
        String queueFile = logging == Logging.NONE ? ""
                : "/opt/sun/comms/messaging64/data/queue/ims-ms/001/ZZlist" + member % 50 + ".00 ";
        String messageId = logging == Logging.IDS ? "<list.0001@lists.example.org> " : "";
        return time + " 1a2b.3." + member + " " + channels + " " + action + " 12 owner@lists.example.org "
                + "rfc822;" + original + " member" + member + "@ims-ms-daemon " + queueFile + messageId + tail + "\n";
    }
}
