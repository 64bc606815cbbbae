package com.mailtrail.parse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiagnosticParserTest {

    private static final String CASES = "/diagnostics/cases.tsv";
    private static final String NULL = "-";
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    /** One row of cases.tsv. */
    record Case(int line, String action, String text, String remoteHost, String transport, String banner,
            String smtpCode, String enhancedStatus, String reply, String category, String permanent) {
    }

    static List<Case> readCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = DiagnosticParserTest.class.getResourceAsStream(CASES)) {
            assertNotNull(in, CASES);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length != 10) {
                    fail(CASES + ":" + lineNo + ": expected 10 columns, found " + c.length);
                }
                for (int i = 0; i < c.length; i++) {
                    c[i] = unescape(c[i]);
                }
                cases.add(new Case(lineNo, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]));
            }
        }
        return cases;
    }

    static Stream<Arguments> cases() throws IOException {
        return readCases().stream().map(c -> Arguments.of(c.line(), c.action(), c.text(), c));
    }

    @ParameterizedTest(name = "line {0}: {1} {2}")
    @MethodSource("cases")
    void parsesCase(int line, String action, String text, Case c) {
        Diagnostic d = DiagnosticParser.parse(text, action.charAt(0));
        assertNotNull(d, "line " + line);
        assertAll("line " + line,
                () -> assertEquals(text, d.text(), "text"),
                () -> assertEquals(orNull(c.remoteHost()), d.remoteHost(), "remoteHost"),
                () -> assertEquals(transport(c.transport()), d.transport(), "transport"),
                () -> assertEquals(orNull(c.banner()), d.banner(), "banner"),
                () -> assertEquals(integer(c.smtpCode()), d.smtpCode(), "smtpCode"),
                () -> assertEquals(orNull(c.enhancedStatus()), d.enhancedStatus(), "enhancedStatus"),
                () -> assertEquals(orNull(c.reply()), d.reply(), "reply"),
                () -> assertEquals(category(c.category()), d.category(), "category"),
                () -> assertEquals(bool(c.permanent()), d.permanent(), "permanent"));
    }

    @Test
    void casesCoverEveryCategory() throws IOException {
        Set<Category> seen = EnumSet.noneOf(Category.class);
        for (Case c : readCases()) {
            Category category = category(c.category());
            if (category != null) {
                seen.add(category);
            }
        }
        assertEquals(EnumSet.allOf(Category.class), seen);
    }

    @Test
    void nullOrEmptyTextGivesNull() {
        assertNull(DiagnosticParser.parse(null, 'Q'));
        assertNull(DiagnosticParser.parse("", 'R'));
        assertNull(DiagnosticParser.parse("   ", 'D'));
    }

    private static final String ACTIONS = "EDQRJKWZBVOCXYIUTSA?e ";
    private static final String ALPHABET = "()[]|;:.,#- \t0123456789245dnsmtpDNSMTPabcxyzTCPErro:"
            + "\u00e9\u00ff\u0080\u4e2d\u0000";
    private static final String[] FRAGMENTS = {
        "dns;", "smtp;", "smtp; ", "(", ")", "(TCP|", "|", "|25)", "550 ", "5.1.1 ", "4.", "Failed connect() ",
        "Error: ", "[::1]:", "relay", "tls", "quota", "\ud800",
    };

    @Test
    void randomAndMutatedTextNeverThrows() throws IOException {
        Random random = new Random(20070226L);
        List<String> seeds = new ArrayList<>();
        for (Case c : readCases()) {
            seeds.add(c.text());
        }
        for (String seed : seeds) {
            for (int i = 0; i <= seed.length(); i++) {
                check(seed.substring(0, i), random);
                check(seed.substring(i), random);
            }
            for (int i = 0; i < 300; i++) {
                check(mutate(seed, random), random);
            }
        }
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(60);
            while (sb.length() < len) {
                if (random.nextInt(4) == 0) {
                    sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                } else if (random.nextInt(10) == 0) {
                    sb.append((char) random.nextInt(0x10000));
                } else {
                    sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            check(sb.toString(), random);
        }
    }

    private static String mutate(String s, Random random) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> sb.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 2 -> {
                    if (at < sb.length()) {
                        sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(8)));
                    }
                }
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static void check(String text, Random random) {
        char action = ACTIONS.charAt(random.nextInt(ACTIONS.length()));
        Diagnostic d;
        try {
            d = DiagnosticParser.parse(text, action);
        } catch (RuntimeException e) {
            throw new AssertionError("threw on action " + action + " text [" + escape(text) + "]", e);
        }
        if (text.isBlank()) {
            assertNull(d);
            return;
        }
        String where = "action " + action + " text [" + escape(text) + "]";
        assertNotNull(d, where);
        assertEquals(text, d.text(), where);
        assertTrue(d.smtpCode() == null || (d.smtpCode() >= 200 && d.smtpCode() <= 599), where);
        assertTrue(d.enhancedStatus() == null || ENHANCED.matcher(d.enhancedStatus()).matches(), where);
        assertEquals(d.category() == null, d.permanent() == null, where);
    }

    // -------------------------------------------------------------------------------------------------------------

    private static String orNull(String s) {
        return NULL.equals(s) ? null : s;
    }

    private static Integer integer(String s) {
        return NULL.equals(s) ? null : Integer.valueOf(s);
    }

    private static Boolean bool(String s) {
        return NULL.equals(s) ? null : Boolean.valueOf(s);
    }

    private static Category category(String s) {
        return NULL.equals(s) ? null : Category.fromKey(s);
    }

    /** {@code proto|l-ip|l-port|r-ip|r-port}, empty parts null; built by hand, not with Transport.parse. */
    private static Transport transport(String s) {
        if (NULL.equals(s)) {
            return null;
        }
        String[] p = s.split("\\|", -1);
        assertEquals(5, p.length, "transport column: " + s);
        return new Transport(p[0], emptyToNull(p[1]), p[2].isEmpty() ? null : Integer.valueOf(p[2]),
                emptyToNull(p[3]), p[4].isEmpty() ? null : Integer.valueOf(p[4]));
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 't' -> sb.append('\t');
                case '\\' -> sb.append('\\');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> fail("unknown escape \\" + next + " in " + s);
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
