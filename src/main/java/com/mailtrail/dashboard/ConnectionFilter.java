package com.mailtrail.dashboard;

import com.mailtrail.message.SearchForm;

/**
 * The Connections page's and {@code /api/connections}' filter: a remote address, a code, a page. A bad value is an
 * IllegalArgumentException with the reason, a 400, worded as the search words its own.
 *
 * @param ip   a remote address as logged, or null for all
 * @param code one of the connection codes (O, C, X, Y, U, I), or null for all
 * @param page 0-based page of {@value ConnectionQueries#PAGE_SIZE} entries
 */
record ConnectionFilter(String ip, String code, int page) {

    static ConnectionFilter of(String ip, String code, int page) {
        String c = code == null || code.isBlank() ? null : code.strip().toUpperCase(java.util.Locale.ROOT);
        if (c != null && !ConnectionQueries.CODES.containsKey(c)) {
            throw new IllegalArgumentException("code must be one of " + String.join(", ",
                    new java.util.TreeSet<>(ConnectionQueries.CODES.keySet())) + "; got '" + SearchForm.shown(code) + "'");
        }
        if (page < 0) {
            throw new IllegalArgumentException("page must be a whole number from 0; got '" + page + "'");
        }
        return new ConnectionFilter(ip == null || ip.isBlank() ? null : ip.strip(), c, page);
    }
}
