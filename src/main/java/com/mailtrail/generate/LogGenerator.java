package com.mailtrail.generate;

import com.mailtrail.parse.LogField;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Writes a realistic, reproducible Messaging Server MTA log (mail.log_current): a day of mail with a diurnal
 * curve, lines of all messages interleaved in time order, and tells for each line what it meant.
 *
 * <p>Messages are created in order of arrival; each one schedules every line it will ever cause. A line is written
 * once no message still to arrive can precede it, so memory holds only the lines of messages still in flight
 * (mostly deferred ones), not the whole day.
 */
public final class LogGenerator {

    /** Lines per message of the default traffic mix, measured; used to size a day for {@code maxEntries}. */
    private static final double LINES_PER_MESSAGE = 7.4;
    private static final double LINES_PER_MESSAGE_WITHOUT_CONNECTIONS = 4.15;
    /** Relative mail volume at each full hour; linear in between. Quiet night, morning peak, lunch dip. */
    private static final double[] HOURLY = {0.25, 0.2, 0.18, 0.17, 0.2, 0.3, 0.6, 1.2, 2.2, 2.8, 2.9, 2.7, 2.1,
            2.5, 2.8, 2.7, 2.4, 1.8, 1.2, 0.9, 0.8, 0.7, 0.5, 0.35, 0.25};
    private static final double PEAK = 2.9;

    private final GeneratorConfig config;

    public LogGenerator(GeneratorConfig config) {
        this.config = config;
    }

    public GeneratorConfig config() {
        return config;
    }

    /**
     * Writes the log, lines ending in '\n', and reports each written line to {@code truth} (which may be null).
     * Does not close {@code out}; flushes it at the end.
     */
    public void generate(Writer out, Consumer<GeneratedEntry> truth) throws IOException {
        new Run(out, truth).run();
        out.flush();
    }

    private final class Run {
        private final Writer out;
        private final Consumer<GeneratedEntry> truth;
        private final PriorityQueue<Event> pending = new PriorityQueue<>((a, b) -> a.time != b.time
                ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
        private final LineRenderer renderer;
        private final Processes processes;
        private final StringBuilder line = new StringBuilder(512);
        /** Connection open/close lines: LOG_CONNECTION bit 1, taken to go with bit 0 (the source system field). */
        private final boolean connections = config.options().has(LogField.CONNECTION);
        private char[] chars = new char[512];
        private long scheduled;
        private long written;

        Run(Writer out, Consumer<GeneratedEntry> truth) {
            this.out = out;
            this.truth = truth;
            this.renderer = new LineRenderer(config.options(), config.format(), config.day(), World.NODE);
            this.processes = new Processes(config.seed());
        }

        void run() throws IOException {
            Traffic traffic = new Traffic(new Rng(config.seed()), e -> {
                e.order = scheduled++;
                pending.add(e);
            });
            long max = config.maxEntries();
            int perDay = config.messages();
            if (perDay == 0 && max > 0) {
                double perMessage = connections ? LINES_PER_MESSAGE : LINES_PER_MESSAGE_WITHOUT_CONNECTIONS;
                perDay = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, Math.ceil(max / perMessage)));
            }
            for (int day = 0; perDay > 0; day++) {
                for (long arrival : arrivals(day, perDay)) {
                    if (!writeBefore(arrival)) {
                        return;
                    }
                    traffic.message(arrival);
                }
                if (max == 0) {
                    break;
                }
            }
            writeBefore(Long.MAX_VALUE);
        }

        /** Writes the pending lines earlier than {@code time}; false once {@code maxEntries} lines are written. */
        private boolean writeBefore(long time) throws IOException {
            long max = config.maxEntries();
            while (!pending.isEmpty() && pending.peek().time < time) {
                if (max > 0 && written >= max) {
                    return false;
                }
                Event e = pending.poll();
                // Process ids are handed out even for lines not written, so they do not depend on the options.
                processes.assign(e.session, e.time);
                if (e.connection && !connections) {
                    continue;
                }
                line.setLength(0);
                renderer.render(e, line);
                int n = line.length();
                if (chars.length < n) {
                    chars = new char[Math.max(n, chars.length * 2)];
                }
                line.getChars(0, n, chars, 0);
                out.write(chars, 0, n);
                written++;
                if (truth != null) {
                    truth.accept(renderer.truth(e, written));
                }
            }
            return max == 0 || written < max;
        }
    }

    /** Arrival times of one day's messages, hundredths of a second from the first day's midnight, sorted. */
    private long[] arrivals(int day, int count) {
        Rng rng = new Rng(Rng.mix(config.seed() ^ 0x2545F4914F6CDD1DL) + day);
        long[] times = new long[count];
        long base = day * LineRenderer.DAY;
        for (int i = 0; i < count; i++) {
            long t;
            do {
                t = (long) (rng.nextDouble() * LineRenderer.DAY);
            } while (rng.nextDouble() * PEAK > volume(t));
            times[i] = base + t;
        }
        Arrays.sort(times);
        return times;
    }

    private static double volume(long t) {
        double hours = t / 360_000.0;
        int h = (int) hours;
        double f = hours - h;
        return HOURLY[h] * (1 - f) + HOURLY[h + 1] * f;
    }
}
