package com.mailtrail.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class H2TuningTest {

    private final String before = System.getProperty("h2.objectCache");

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("h2.objectCache");
        } else {
            System.setProperty("h2.objectCache", before);
        }
    }

    @Test
    void turnsOffH2sValueCache() {
        System.clearProperty("h2.objectCache");
        H2Tuning.apply();
        assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");
    }

    @Test
    void leavesWhatTheCommandLineSaid() {
        System.setProperty("h2.objectCache", "true");
        H2Tuning.apply();
        assertThat(System.getProperty("h2.objectCache")).isEqualTo("true");
    }
}
