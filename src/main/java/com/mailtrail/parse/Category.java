package com.mailtrail.parse;

import java.util.Locale;

/** Why a delivery attempt failed. The rules that choose one are in {@link DiagnosticParser} and docs/diagnostics.md. */
public enum Category {
    NETWORK, REFUSED, TIMEOUT, HOST_SKIPPED, DNS, GREYLISTED, DEFERRED_BY_REMOTE, MAILBOX_FULL, MAILBOX_BUSY,
    STORE_ERROR, USER_UNKNOWN, RELAY_DENIED, POLICY, AUTH_FAILED, TOO_LARGE, TLS, OTHER;

    private final String key = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, URLs and the UI: {@code network}, {@code deferred_by_remote}... */
    public String key() {
        return key;
    }

    public static Category fromKey(String key) {
        for (Category c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category: " + key);
    }
}
