package com.mailtrail.parse;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The eight-bytes-at-a-time searches agree with plain loops, at every offset and with bytes above 0x7f. */
class TextTest {

    private static final byte[] ALPHABET = {' ', ' ', '\t', '\n', 'a', '/', '.', ';', '<', '(', '!', 0x21, 0x0b,
            (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0x01};

    @Test
    void searchesAgreeWithPlainLoops() {
        Random random = new Random(1);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            int s = random.nextInt(b.length + 1);
            int e = s + random.nextInt(b.length - s + 1);

            int nl = -1;
            boolean ascii = true;
            for (int i = s; i < e && nl < 0; i++) {
                if (b[i] == '\n') {
                    nl = i;
                } else if (b[i] < 0) {
                    ascii = false;
                }
            }
            long found = Text.findNewline(b, s, e);
            assertThat((int) (found >> 1)).as("newline").isEqualTo(nl);
            assertThat((found & 1) != 0).as("ascii before the newline").isEqualTo(ascii);

            int blanksEnd = s;
            while (blanksEnd < e && (b[blanksEnd] == ' ' || b[blanksEnd] == '\t')) {
                blanksEnd++;
            }
            assertThat(Text.skipBlanks(b, s, e)).as("skipBlanks").isEqualTo(blanksEnd);

            for (byte c : new byte[]{' ', '/', '.', (byte) 0xa9}) {
                int last = -1;
                for (int i = e - 1; i >= s && last < 0; i--) {
                    if (b[i] == c) {
                        last = i;
                    }
                }
                assertThat(Text.lastIndexOf(b, s, e, c)).as("lastIndexOf %d", c).isEqualTo(last);
            }

            boolean any = false;
            for (int i = s; i < e; i++) {
                any |= b[i] == ';' || b[i] == '<' || b[i] == '(';
            }
            assertThat(Text.containsAny(b, s, e, (byte) ';', (byte) '<', (byte) '(')).as("containsAny").isEqualTo(any);

            int slashes = 0;
            boolean paren = false;
            for (int i = s; i < e; i++) {
                slashes += b[i] == '/' ? 1 : 0;
                paren |= b[i] == '(' || b[i] == ';';
            }
            assertThat(Text.countUnless(b, s, e, (byte) '/', (byte) '(', (byte) ';')).as("countUnless")
                    .isEqualTo(paren ? -1 : slashes);
        }
    }
}
