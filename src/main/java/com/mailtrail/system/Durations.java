package com.mailtrail.system;

import org.springframework.stereotype.Component;

/** Durations as an administrator reads them: 42 s, 3 min 5 s, 2 h 10 min, 3 d 4 h. Used by templates as @durations. */
@Component("durations")
public class Durations {

    public String format(Long seconds) {
        if (seconds == null) {
            return "–";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86400) {
            return (s / 3600) + " h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + " min");
        }
        return (s / 86400) + " d" + (s % 86400 / 3600 == 0 ? "" : " " + (s % 86400 / 3600) + " h");
    }
}
