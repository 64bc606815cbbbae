package com.mailtrail.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Log text is untrusted in its characters too: a right-to-left override (U+202E) in an address drew
 * {@code moc.rekcah@nhoj} as {@code john@hacker.com} and reversed the rest of its raw log line on the page ("Trojan
 * Source"). The HTML pages show the directional embedding, override and isolate controls as {@code [U+202E]}, so the
 * text reads in the order it was logged; and the characters that take no room (zero-width space and joiners, the
 * directional marks, the soft hyphen, U+FEFF), by which {@code adm\u200Bin@bank.example} passed for
 * {@code admin@bank.example}. The templates hold none of them, so only log text changes; the API and the CSV keep the
 * text as logged.
 */
@Component
class VisibleBidiControls extends OncePerRequestFilter {

    /**
     * U+202A..U+202E (LRE, RLE, PDF, LRO, RLO), U+2066..U+2069 (LRI, RLI, FSI, PDI); and those that draw nothing:
     * U+200B..U+200F (zero-width space, non-joiner, joiner, LRM, RLM), U+2060..U+2064 (word joiner, invisible
     * operators), U+061C (ALM), U+00AD (soft hyphen), U+180E (Mongolian vowel separator), U+FEFF.
     */
    private static boolean isControl(int c) {
        return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c >= 0x200B && c <= 0x200F
                || c >= 0x2060 && c <= 0x2064 || c == 0x061C || c == 0x00AD || c == 0x180E || c == 0xFEFF;
    }

    /** The error page too: its reason can quote a parameter copied from a page. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            private PrintWriter writer;

            @Override
            public PrintWriter getWriter() throws IOException {
                if (writer == null) {
                    String type = getContentType();
                    writer = type != null && type.startsWith("text/html")
                            ? new PrintWriter(new Replacing(super.getWriter())) : super.getWriter();
                }
                return writer;
            }
        });
    }

    /** Writes the controls as [U+XXXX], character by character (pages are streamed). */
    private static final class Replacing extends FilterWriter {

        Replacing(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            if (isControl(c)) {
                out.write(String.format("[U+%04X]", c));
            } else {
                out.write(c);
            }
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (isControl(buf[i])) {
                    out.write(buf, start, i - start);
                    write(buf[i]);
                    start = i + 1;
                }
            }
            out.write(buf, start, off + len - start);
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            char[] chars = new char[len];
            s.getChars(off, off + len, chars, 0);
            write(chars, 0, len);
        }
    }
}
