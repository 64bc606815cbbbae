package com.mailtrail.parse;

import java.util.Locale;

/**
 * The optional fields of a message entry in format 1/2, in the order the MTA writes them after the current
 * recipient (node and process id come before the channels). Each is switched on by a LOG_* MTA option.
 */
public enum LogField {
    NODE("LOG_NODE"),
    PROCESS("LOG_PROCESS"),
    NOTARY("LOG_NOTARY"),
    FILENAME("LOG_FILENAME"),
    ENVELOPE_ID("LOG_ENVELOPE_ID"),
    MESSAGE_ID("LOG_MESSAGE_ID"),
    USERNAME("LOG_USERNAME"),
    /** Source system / connection information: LOG_CONNECTION bit 0. */
    CONNECTION("LOG_CONNECTION"),
    SENSITIVITY("LOG_SENSITIVITY"),
    PRIORITY("LOG_PRIORITY"),
    INTERMEDIATE("LOG_INTERMEDIATE"),
    /** Initial address: bit 0 of LOG_INTERMEDIATE, written only with it. */
    INITIAL("LOG_INTERMEDIATE"),
    FILTER("LOG_FILTER"),
    REASON("LOG_REASON"),
    /** Transport information TCP|l-ip|l-port|r-ip|r-port: LOG_CONNECTION bit 5. */
    TRANSPORT("LOG_CONNECTION"),
    /** Application information (SMTP, SMTP/TLS-...): LOG_CONNECTION bit 6. */
    APPLICATION("LOG_CONNECTION"),
    QUEUE_TIME("LOG_QUEUE_TIME");

    private final String option;
    private final String key = name().toLowerCase(Locale.ROOT);

    LogField(String option) {
        this.option = option;
    }

    /** The MTA option that turns the field on. */
    public String option() {
        return option;
    }

    /** The name used in {@code --options}: node, process, notary, filename, envelope_id, message_id... */
    public String key() {
        return key;
    }
}
