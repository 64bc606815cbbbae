package com.mailtrail.ingest;

import java.util.Locale;

/**
 * The log lines of one list expansion: a message to {@code members} recipients, all enqueued first and delivered
 * later, every {@code deferEvery}th member after one deferral. What a mailing list of a university or an ISP sends,
 * and the worst case of correlation: one message recomputed at every batch that brings more of its lines.
 */
public record ListMessage(String enqueues, String outcomes) {

    public static ListMessage of(int members, int deferEvery) {
        return of(members, deferEvery, 0);
    }

    /** As {@link #of(int, int)}, every {@code bounceEvery}th member (0: none) bounced instead of delivered. */
    public static ListMessage of(int members, int deferEvery, int bounceEvery) {
        StringBuilder enqueues = new StringBuilder();
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < members; i++) {
            enqueues.append(line(i, 10 * 3600 + i / 100.0, "tcp_intranet ims-ms", 'E', "mailsrv"));
        }
        for (int i = 0; i < members; i++) {
            if (i % deferEvery == 0) {
                outcomes.append(line(i, 11 * 3600 + i / 100.0, "ims-ms", 'Q', "Mailbox is busy"));
            }
            boolean bounced = bounceEvery > 0 && i % bounceEvery == bounceEvery - 1;
            outcomes.append(line(i, 12 * 3600 + i / 100.0, "ims-ms", bounced ? 'R' : 'D',
                    bounced ? "550 5.1.1 unknown or illegal alias" : ""));
        }
        return new ListMessage(enqueues.toString(), outcomes.toString());
    }

    /** The line of member i at the given second of 2 Mar 2026. */
    private static String line(int member, double second, String channels, char action, String tail) {
        int s = (int) second;
        String time = String.format(Locale.ROOT, "02-Mar-2026 %02d:%02d:%05.2f", s / 3600, s / 60 % 60, second % 60);
        return time + " 1a2b.3." + member + " " + channels + " " + action + " 12 owner@lists.example.org "
                + "rfc822;member" + member + "@example.com member" + member + "@ims-ms-daemon "
                + "/opt/sun/comms/messaging64/data/queue/ims-ms/001/ZZlist" + member % 50 + ".00 "
                + "<list.0001@lists.example.org> " + tail + "\n";
    }
}
