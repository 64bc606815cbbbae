package com.mailtrail.dashboard;

/**
 * The dashboard's key figures for a range. Percentages are 0..100, null when there is nothing to divide.
 *
 * @param deferredNow recipients whose latest outcome is a deferral, over all loaded data
 * @param medianDelay median seconds from enqueue to delivery of the recipients delivered in the range
 */
record Kpis(long messages, long recipients, Double deliveredPercent, long deferredNow, long queuedNow, long bounced,
            Long medianDelay, Long p90Delay, Double firstAttemptPercent) {
}
