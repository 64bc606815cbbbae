package com.mailtrail.dashboard;

import com.mailtrail.message.SearchForm;

/**
 * The Connections page's and {@code /api/connections}' filter: a remote address, a code, a page. A bad value is an
 * IllegalArgumentException with the reason, a 400, worded as the search words its own.
 *
 * @param ip   a remote address as logged, or null for all
 * @param code one of the codes kept as rows (X, Y, U, I), or null for all
 * @param page 0-based page of {@value ConnectionQueries#PAGE_SIZE} entries
 */
record ConnectionFilter(String ip, String code, int page) {

    /** The page is read as the search reads its own (SearchForm.page), so that both refuse a bad one in the same words. */
    static ConnectionFilter of(String ip, String code, String page) {
        String c = code == null || code.isBlank() ? null : code.strip().toUpperCase(java.util.Locale.ROOT);
        String kept = String.join(", ", new java.util.TreeSet<>(ConnectionQueries.EVENT_CODES));
        if (c != null && ConnectionQueries.CODES.containsKey(c) && !ConnectionQueries.EVENT_CODES.contains(c)) {
            // Opens and closes are counted per hour (Connections), never stored one by one: a filter on them could
            // only ever list nothing, whatever the log holds.
            throw new IllegalArgumentException("code " + c + " (" + ConnectionQueries.CODES.get(c) + ") is counted, "
                    + "not kept as entries: the connections chart and the Connections page's figures count them; "
                    + "code must be one of " + kept);
        }
        if (c != null && !ConnectionQueries.EVENT_CODES.contains(c)) {
            throw new IllegalArgumentException("code must be one of " + kept + "; got '" + SearchForm.shown(code) + "'");
        }
        return new ConnectionFilter(ip == null || ip.isBlank() ? null : ip.strip(), c, SearchForm.page(page));
    }
}
