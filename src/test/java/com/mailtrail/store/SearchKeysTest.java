package com.mailtrail.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The index keys of searched strings: a prefix's range must hold the code of every string starting with it. */
class SearchKeysTest {

    private static final List<String> ADDRESSES = List.of("a", "ab", "bob", "bob@example.com", "bobby@example.org",
            "liam.brandt@example.com", "liam.brandt@ims-ms-daemon", "liam", "zoë@exämple.de", "日本@example.jp",
            "~~~~~~~~", "", "\u00ff\u00ff\u00ff@x", "noreply-1@example.com", "noreply-2@example.com");

    @Test
    void everyStringIsInTheRangeOfEachOfItsPrefixes() {
        for (String s : ADDRESSES) {
            for (int end = 1; end <= s.length(); end++) {
                String prefix = s.substring(0, end);
                assertThat(SearchKeys.code(s)).as("%s in %s*", s, prefix)
                        .isBetween(SearchKeys.low(prefix), SearchKeys.high(prefix));
            }
        }
    }

    @Test
    void codesKeepTheOrderOfTheirFirstBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            String a = word(random);
            String b = word(random);
            String pa = (a + "\0\0\0\0\0\0").substring(0, 6);
            String pb = (b + "\0\0\0\0\0\0").substring(0, 6);
            if (pa.compareTo(pb) < 0) {
                assertThat(SearchKeys.code(a)).as("%s < %s", a, b).isLessThan(SearchKeys.code(b));
            }
            String prefix = a.substring(0, 1 + random.nextInt(a.length()));
            if (!b.startsWith(prefix)) {
                boolean inRange = SearchKeys.code(b) >= SearchKeys.low(prefix)
                        && SearchKeys.code(b) <= SearchKeys.high(prefix);
                // outside the range unless the two share the first six bytes (the string then decides)
                assertThat(inRange && !pa.substring(0, Math.min(6, prefix.length()))
                        .equals(pb.substring(0, Math.min(6, prefix.length())))).isFalse();
            }
        }
    }

    @Test
    void equalStringsHaveEqualKeysAndDifferentOnesMostlyDiffer() {
        assertThat(SearchKeys.code("bob@example.com")).isEqualTo(SearchKeys.code(new String("bob@example.com")));
        assertThat(SearchKeys.hash("<a@b>")).isEqualTo(SearchKeys.hash(new String("<a@b>")));
        assertThat(SearchKeys.code("noreply-1@example.com")).isNotEqualTo(SearchKeys.code("noreply-2@example.com"));
        assertThat(SearchKeys.hash("<1@x>")).isNotEqualTo(SearchKeys.hash("<2@x>"));
        assertThat(SearchKeys.code(null)).isNull();
        assertThat(SearchKeys.hashOrNull(null)).isNull();
    }

    @Test
    void messageIdsThatDifferOnlyInCaseShareTheirIdHash() {
        assertThat(SearchKeys.idHash("<01IRUD7SVA3Q9UN2D4@sesta.com>"))
                .isEqualTo(SearchKeys.idHash("<01irud7sva3q9un2d4@SESTA.COM>"))
                .isEqualTo(SearchKeys.hash("<01irud7sva3q9un2d4@sesta.com>"));
        assertThat(SearchKeys.idHash("<1@x>")).isNotEqualTo(SearchKeys.idHash("<2@x>"));
        assertThat(SearchKeys.idHashOrNull(null)).isNull();
    }

    private static String word(Random random) {
        int n = 1 + random.nextInt(10);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(4)));
        }
        return sb.toString();
    }
}
