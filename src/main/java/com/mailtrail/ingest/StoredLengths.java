package com.mailtrail.ingest;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.MessageEntry;
import com.mailtrail.parse.Transport;

import java.util.Locale;

/**
 * The longest text the schema stores in each field an entry brings (V1__schema.sql). A line up to 64 KiB can carry a
 * longer one (a hostile Message-ID, a garbled address), and one such value failed the whole batch, so the whole file
 * (and a followed file at every round, for ever): such an entry is a rejected line instead, with this reason.
 * Values derived from free text (the remote host and address in a diagnostic) are cut instead: see {@link #clip}.
 */
final class StoredLengths {

    static final int ADDRESS = 1000;
    static final int MESSAGE_ID = 1000;
    static final int CHANNEL = 100;
    static final int QUEUE_FILE = 2000;
    static final int PROCESS = 100;
    static final int SOURCE_SYSTEM = 2000;
    static final int HOST = 1000;
    static final int IP = 100;
    static final int APPLICATION = 400;
    static final int USERNAME = 1000;

    private StoredLengths() {
    }

    /** Why the entry cannot be stored, or null when every field fits. */
    static String refusal(Entry entry) {
        if (entry instanceof MessageEntry m) {
            return message(m);
        }
        if (entry instanceof ConnectionEntry c) {
            return connection(c);
        }
        return null;
    }

    private static String message(MessageEntry m) {
        String r = over("Message-ID", m.messageId(), MESSAGE_ID);
        r = r != null ? r : over("original Message-ID", m.originalMessageId(), MESSAGE_ID);
        r = r != null ? r : address("sender", m.sender());
        r = r != null ? r : address("recipient", m.recipient());
        r = r != null ? r : address("original recipient", m.originalRecipient());
        r = r != null ? r : over("source channel", m.sourceChannel(), CHANNEL);
        r = r != null ? r : over("destination channel", m.destinationChannel(), CHANNEL);
        r = r != null ? r : over("queue file", m.queueFile() == null ? null : m.queueFile().path(), QUEUE_FILE);
        r = r != null ? r : over("process id", m.processId(), PROCESS);
        r = r != null ? r : over("source system", m.sourceSystem(), SOURCE_SYSTEM);
        if (r == null && m.messageId() == null) {
            // Without a Message-ID the message is known by a key made of several fields, stored in the same width.
            r = over("grouping key (no Message-ID: sender, original recipient and day)", FileIngest.info(m).key(), MESSAGE_ID);
        }
        return r;
    }

    private static String connection(ConnectionEntry c) {
        Transport t = c.transportParts();
        String r = over("channel", c.channel(), CHANNEL);
        r = r != null ? r : over("process id", c.processId(), PROCESS);
        r = r != null ? r : over("application", c.application(), APPLICATION);
        r = r != null ? r : over("user name", c.username(), USERNAME);
        r = r != null ? r : over("remote address", t == null ? null : t.remoteIp(), IP);
        r = r != null ? r : over("local address", t == null ? null : t.localIp(), IP);
        return r;
    }

    /** Addresses are also stored in lower case for search, which can be longer (U+0130 becomes two chars). */
    private static String address(String field, String value) {
        String r = over(field, value, ADDRESS);
        if (r == null && value != null && value.length() > ADDRESS / 2) {
            r = over(field + " (in lower case)", value.toLowerCase(Locale.ROOT), ADDRESS);
        }
        return r;
    }

    private static String over(String field, String value, int max) {
        if (value == null || value.length() <= max) {
            return null;
        }
        return "the " + field + " is " + value.length() + " characters long; Mailtrail stores at most " + max;
    }

    /** A value taken out of free text, cut to the width it is stored in. */
    static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
