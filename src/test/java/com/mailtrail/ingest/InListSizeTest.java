package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IN lists of message look-ups come in powers of two, so that a few SQL texts stay parsed in H2's session cache. */
class InListSizeTest {

    @Test
    void roundsUpToAPowerOfTwoAndNeverBelowTheValuesGiven() {
        assertThat(MessageStore.inListSize(1)).isEqualTo(1);
        assertThat(MessageStore.inListSize(2)).isEqualTo(2);
        assertThat(MessageStore.inListSize(3)).isEqualTo(4);
        assertThat(MessageStore.inListSize(4)).isEqualTo(4);
        assertThat(MessageStore.inListSize(5)).isEqualTo(8);
        assertThat(MessageStore.inListSize(500)).isEqualTo(512);
        assertThat(MessageStore.inListSize(512)).isEqualTo(512);
        for (int n = 1; n <= 512; n++) {
            int size = MessageStore.inListSize(n);
            assertThat(size).isGreaterThanOrEqualTo(n).isLessThan(2 * n);
            assertThat(Integer.bitCount(size)).isEqualTo(1);
        }
    }
}
