package com.mailtrail.dashboard;

/**
 * The dashboard's key figures for a range. Percentages are 0..100, null when there is nothing to divide.
 *
 * @param deferredNow recipients whose latest outcome is a deferral, over all loaded data
 * @param medianDelay median seconds from enqueue to delivery of the recipients delivered in the range
 * @param links       the searches that list the messages behind the figures that are counts, by the figure's name
 *                    (messages, recipients, deferredNow, bounced); percentages and delays have none; null for the
 *                    recipients and bounced in a range that counts no whole hour
 */
record Kpis(long messages, long recipients, Double deliveredPercent, long deferredNow, long queuedNow, long bounced,
            Long medianDelay, Long p90Delay, Double firstAttemptPercent, Links links) {

    record Links(String messages, String recipients, String deferredNow, String bounced) {
    }
}
