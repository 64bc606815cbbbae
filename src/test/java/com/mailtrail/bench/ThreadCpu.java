package com.mailtrail.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time per thread during a benchmark, grouped by thread name with digits folded ({@code HN-save},
 * {@code ingest-writer}, ...; Linux cuts names to 15 characters): which stage of the import is the bottleneck.
 * Threads are sampled every 100 ms because the import's threads are gone by the time it returns. Only CPU spent
 * after construction counts.
 */
final class ThreadCpu implements AutoCloseable {

    private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> lastCpu = new ConcurrentHashMap<>();
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final Thread sampler;
    private final long startCpu;
    private final long startMachineCpu = machineCpu();
    private final Map<Long, Long> baseline;

    ThreadCpu() {
        startCpu = processCpu();
        sample();
        baseline = Map.copyOf(lastCpu);
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        // /proc shows every thread, including the JVM's own (GC, JIT compilers) that ThreadMXBean hides
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks != null) {
            for (File task : tasks) {
                try {
                    String stat = Files.readString(task.toPath().resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    long id = Long.parseLong(task.getName());
                    lastCpu.put(id, ticks * 10_000_000L); // USER_HZ is 100 on Linux
                    names.put(id, stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N"));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
            return;
        }
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = bean.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                lastCpu.put(info.getThreadId(), cpu);
                names.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "N"));
            }
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the whole machine (every process, such as PostgreSQL's), in ns; 0 where /proc/stat is absent. */
    private static long machineCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) { // all but idle and iowait
                    ticks += Long.parseLong(f[i]);
                }
            }
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException absent) {
            return 0;
        }
    }

    /** Prints the process's CPU time since construction and each thread group's (to the last sample). */
    @Override
    public void close() {
        sample();
        sampler.interrupt();
        Map<String, Long> byName = new TreeMap<>();
        lastCpu.forEach((id, cpu) -> byName.merge(names.get(id), cpu - baseline.getOrDefault(id, 0L), Long::sum));
        StringBuilder line = new StringBuilder(String.format("CPU: machine %.1f s, this JVM %.1f s;",
                (machineCpu() - startMachineCpu) / 1e9, (processCpu() - startCpu) / 1e9));
        byName.entrySet().stream().filter(e -> e.getValue() >= 100_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> line.append(String.format(" %s %.1f s,", e.getKey(), e.getValue() / 1e9)));
        line.setLength(line.length() - 1);
        System.out.println(line);
    }
}
