package com.mailtrail.ingest;

import com.mailtrail.parse.LogInput;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * {@code import [--options=...] FILE...}: reads log files into the configured database without the web server and
 * prints one summary line. Spring arguments ({@code --spring.profiles.active=postgres}) pass through.
 */
public final class ImportCommand {

    /** The command line import takes; {@code help} shows this same line, so the two cannot drift apart. */
    public static final String SYNOPSIS = "java -jar mailtrail.jar import [--options=auto|LIST] [--progress=SECONDS] "
            + "[--name=NAME] [--spring.profiles.active=postgres] FILE... (- for standard input)";
    private static final String USAGE = "usage: " + SYNOPSIS;
    /** How a file names standard input on the command line. */
    static final String STDIN = "-";

    private ImportCommand() {
    }

    public static int run(Class<?> application, String[] args) {
        return run(application, args, System.in);
    }

    /** With {@code stdin} as what {@code -} reads. */
    public static int run(Class<?> application, String[] args, InputStream stdin) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        LogOptions options = LogOptions.auto();
        double progressEvery = 10;
        List<String> files = new ArrayList<>();
        boolean onlyFiles = false;
        String stdinName = null;
        // A command prints its one summary line; Spring's start-up log would bury it (still overridable).
        List<String> springArgs = new ArrayList<>(List.of("--logging.level.root=ERROR", "--spring.main.banner-mode=off"));
        for (String a : args) {
            if (a.startsWith("--options=")) {
                try {
                    options = LogOptions.parse(a.substring("--options=".length()));
                } catch (IllegalArgumentException e) {
                    err.println("import: " + LogInput.reason(e));
                    return 2;
                }
            } else if (a.startsWith("--progress=")) {
                try {
                    progressEvery = Double.parseDouble(a.substring("--progress=".length()));
                } catch (NumberFormatException e) {
                    progressEvery = -1;
                }
                if (!(progressEvery >= 0) || Double.isInfinite(progressEvery)) {
                    err.println("import: --progress wants the seconds between two progress lines (0 for none), not "
                            + a.substring("--progress=".length()));
                    return 2;
                }
            } else if (a.startsWith("--name=") && !onlyFiles) {
                stdinName = a.substring("--name=".length()).strip();
                if (stdinName.isEmpty()) {
                    err.println("import: --name= wants the name to show for standard input on the Sources page (as "
                            + "--name=mta1:mail.log_current)");
                    return 2;
                }
            } else if (a.equals("--")) {
                onlyFiles = true;
            } else if (a.startsWith("--") && !onlyFiles) {
                // Spring properties have a dot in their name; anything else is a misspelled option, which imported
                // with the defaults would look like it worked
                String name = a.substring(2, a.indexOf('=') < 0 ? a.length() : a.indexOf('='));
                if (name.indexOf('.') < 0) {
                    err.println("import: unknown option " + a + "; the options are --options=, --progress=, --name= and "
                            + "Spring properties (a name with a dot, as --spring.profiles.active=postgres)");
                    err.println(USAGE);
                    return 2;
                }
                // one value per property: Spring joins two into a list ("ERROR,INFO"), which a log level is not
                String key = a.substring(0, a.indexOf('=') < 0 ? a.length() : a.indexOf('=') + 1);
                springArgs.removeIf(given -> given.startsWith(key));
                springArgs.add(a);
            } else {
                files.add(a);
            }
        }
        if (files.isEmpty()) {
            err.println("import: name at least one log file (plain or .gz), or - for standard input");
            err.println(USAGE);
            return 2;
        }
        // One stream, read to its end by the first -: a second would be an empty file under the same name
        if (files.stream().filter(STDIN::equals).count() > 1) {
            err.println("import: - (standard input) can be read only once in an import");
            return 2;
        }
        if (stdinName != null && !files.contains(STDIN)) {
            err.println("import: --name= names standard input (-), which is not among the files");
            return 2;
        }
        StandardInput standardInput = null;
        for (String f : files) {
            if (f.equals(STDIN)) {
                continue;
            }
            if (!Files.isReadable(Path.of(f))) {
                err.println("import: " + f + ": no such file or not readable");
                return 1;
            }
            // Found only when read, it failed with the system's "Is a directory" after the files before it were stored
            if (Files.isDirectory(Path.of(f))) {
                err.println("import: " + f + " is a directory: name the log files in it (for example "
                        + Path.of(f).resolve("mail.log_yesterday") + ")");
                return 1;
            }
        }
        // Before anything is stored: a zip or other binary file would otherwise be "read" as rejected lines
        boolean refused = false;
        List<String> names = new ArrayList<>(); // as shown: standard input under its name
        for (String f : files) {
            String problem;
            String name = f;
            try {
                if (f.equals(STDIN)) {
                    // Its start is taken from the stream to be looked at, and given back to the read
                    name = stdinName == null ? StandardInput.NAME : stdinName;
                    standardInput = StandardInput.start(stdin);
                    problem = standardInput.problem();
                } else {
                    problem = LogFileCheck.problem(Path.of(f));
                }
            } catch (IOException e) {
                problem = "cannot be read: " + LogInput.reason(e);
            }
            names.add(name);
            if (problem != null) {
                err.println("import: " + name + " " + problem);
                refused = true;
            }
        }
        if (refused) {
            err.println("import: nothing imported; name mail.log_current, mail.log_yesterday, mail.log or "
                    + "connection.log files, plain or gzip-compressed");
            return 1;
        }
        // Ctrl-C or SIGTERM: rather than Spring closing the database under this thread's commit, the read ends at
        // its next batch, this thread says where and closes the database itself; the JVM waits for it to be done.
        Stop stop = new Stop();
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return importAll(application, springArgs, files, names, standardInput, options, progressEvery, stop, out,
                    err) ? 0 : 1;
        } finally {
            stop.finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping already: the hook returns now that this thread is done
            }
        }
    }

    /** A shutdown hook that stops the engine's reads and waits for the import's thread to finish. */
    private static final class Stop extends Thread {
        final CountDownLatch finished = new CountDownLatch(1);
        private volatile boolean requested;
        private volatile IngestEngine engine;

        Stop() {
            super("mailtrail-import-stop");
        }

        /** The engine once the context is up; stopped at once if the signal came first. */
        void engine(IngestEngine e) {
            engine = e;
            if (requested) {
                e.stopReads();
            }
        }

        @Override
        public void run() {
            requested = true;
            IngestEngine e = engine;
            if (e != null) {
                e.stopReads();
            }
            try {
                finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                // the JVM goes on stopping
            }
        }
    }

    /**
     * Imports the files, then compacts an H2 file; false when it or one of the files failed (said on {@code err}).
     */
    private static boolean importAll(Class<?> application, List<String> springArgs, List<String> files,
                                    List<String> names, StandardInput standardInput, LogOptions options,
                                    double progressEvery, Stop stop, PrintStream out, PrintStream err) {
        String dbUrl;
        String dbUser;
        String dbPassword;
        boolean spoke;
        boolean ok;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE).logStartupInfo(false).registerShutdownHook(false)
                .run(springArgs.toArray(String[]::new))) {
            IngestEngine engine = context.getBean(IngestEngine.class);
            stop.engine(engine);
            if (!engine.onlyWriter()) {
                sayWhenWaiting(engine, err); // only where another process may be reading
            }
            if (engine.rebuildPending()) {
                // Said, since it takes about as long as the imports of those files did; the import reads after it.
                err.println("import: first finishing the rebuild that removing a log source began: the stored text of "
                        + "the other files is read again");
                try {
                    engine.finishRebuild();
                } catch (RuntimeException e) {
                    err.println("import: " + LogInput.reason(e));
                    return false;
                }
            }
            long source;
            try {
                source = engine.createSource("import", String.join(" ", names));
            } catch (IngestException.Stopped e) {
                err.println("import: " + LogInput.reason(e));
                return false;
            }
            int maxRatio = context.getBean(IngestProperties.class).maxRatio();
            long entries = 0;
            long messages = 0;
            long rejected = 0;
            long duplicates = 0;
            String failure = null; // the first file's that failed, for the source
            long t0 = System.nanoTime();
            int current = 0;
            ImportProgress progress = new ImportProgress(names, sizes(files), progressEvery, err);
            try (progress) {
                for (; current < files.size(); current++) {
                    String name = names.get(current);
                    boolean fromStdin = files.get(current).equals(STDIN);
                    Progress p = new Progress();
                    progress.file(current, p);
                    // A file whose own data is bad (a gzip bomb, a damaged gzip) fails alone, as in an upload: the
                    // files after it are read. A failure of the database (a RuntimeException) stops the import.
                    String failed;
                    try {
                        failed = fromStdin ? null : overByTrailer(Path.of(name), maxRatio);
                        if (failed == null) {
                            try (InputStream in = fromStdin ? standardInput.open(progress::bytesRead, maxRatio, RAISE)
                                    : open(Path.of(name), progress::bytesRead, maxRatio)) {
                                IngestEngine.FileResult r = engine.ingest(source, name, in, options, p);
                                entries += r.entries();
                                messages += r.messages();
                                rejected += r.rejected();
                                duplicates += r.duplicates();
                            }
                        }
                    } catch (IOException e) {
                        failed = LogInput.reason(e);
                        // A file that broke off (a gzip bomb past the limit, a truncated gzip) kept the lines before
                        // the break: they were imported and count in the summary.
                        entries += p.entries();
                        messages += p.messages();
                        rejected += p.rejected();
                        duplicates += p.duplicates();
                    }
                    // Its own line, on standard error beside the other warnings: the summary's form stays as scripts
                    // read it, and the raw lines shown of these are not whole.
                    if (p.cut() > 0) {
                        err.println("import: " + name + ": " + p.cut() + (p.cut() == 1 ? " line" : " lines")
                                + " longer than " + LogReader.MAX_LINE + " bytes " + (p.cut() == 1 ? "was" : "were")
                                + " stored cut to that length: " + CutLines.describe(p.cut(), p.cutLines()));
                    }
                    if (failed != null) {
                        failed = failed.startsWith(name) ? failed : name + ": " + failed;
                        err.println("import: " + failed);
                        failure = failure == null ? failed : failure;
                    }
                }
                engine.finishSource(source, failure);
            } catch (RuntimeException e) {
                String name = names.get(Math.min(current, names.size() - 1)); // or finishing the source failed
                String message = LogInput.reason(e);
                message = message.startsWith(name) ? message : name + ": " + message;
                try {
                    engine.finishSource(source, message);
                } catch (RuntimeException alsoFailed) {
                    // The database that failed may refuse this write too (after a full disk H2 finds its last commits
                    // missing): the failure is said below all the same, and the source stays as its last commit left it.
                }
                err.println("import: " + message);
                if (current + 1 < files.size()) {
                    err.println("import: not read: " + String.join(" ", names.subList(current + 1, names.size())));
                }
                return false;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("imported %d entries, %d messages, %d rejected, %d duplicates in %.1f s (%.0f entries/s)%n",
                    entries, messages, rejected, duplicates, seconds, seconds > 0 ? entries / seconds : 0);
            Environment env = context.getEnvironment();
            dbUrl = env.getProperty("spring.datasource.url", "");
            dbUser = env.getProperty("spring.datasource.username", "");
            dbPassword = env.getProperty("spring.datasource.password", "");
            spoke = progress.spoke();
            ok = failure == null;
        }
        if (spoke && H2Compaction.h2File(dbUrl) != null) {
            // after a long import the compaction takes seconds too: said, so that the pause is not taken for a hang
            err.println("import: compacting the H2 file (it grows while it takes a large load)");
        }
        compactH2(dbUrl, dbUser, dbPassword, err);
        return ok;
    }

    /** How the user of the command lets a real log past the ratio limit. */
    private static final String RAISE = "If it is a real log, import it with a higher limit: --"
            + DecompressionLimit.PROPERTY + "=N.";

    /** Why a gzip's trailer puts it over the ratio limit, before anything of it is stored; or null. */
    private static String overByTrailer(Path file, int maxRatio) throws IOException {
        if (!Files.isRegularFile(file) || !LogFileCheck.isGzip(file)) {
            return null; // a pipe's trailer cannot be looked at: the stream's limit does not hold for it either
        }
        return DecompressionLimit.overByTrailer(file, Files.size(file), maxRatio, RAISE,
                new DecompressionLimit.Budget(DecompressionLimit.DECIDE_BUDGET));
    }

    /** Each file's size on disk (0 when it cannot be told), for the progress lines. */
    private static long[] sizes(List<String> files) {
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            if (files.get(i).equals(STDIN)) {
                continue; // a stream: its lines and rate are said, not a percentage
            }
            try {
                sizes[i] = Files.size(Path.of(files.get(i)));
            } catch (IOException e) {
                sizes[i] = 0; // a pipe or a file gone meanwhile: opening it says so
            }
        }
        return sizes;
    }

    /**
     * On PostgreSQL an import waits while the server reads a file (WriterTurns): said once, or it would look hung. The
     * command's log is quiet (errors only), so the engine's own word on it is not shown.
     */
    private static void sayWhenWaiting(IngestEngine engine, PrintStream err) {
        Thread watch = new Thread(() -> {
            try {
                while (engine.waitingForAnotherProcess().isEmpty()) {
                    Thread.sleep(200);
                }
                err.println("import: another process (the server?) is reading a file into this database: waiting for "
                        + "it to finish");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mailtrail-import-wait");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * H2 grows several times over during a bulk load; rewriting it once at the end gives the space back (see
     * H2Compaction). Done once the context, and so the pool, is closed.
     */
    private static void compactH2(String url, String user, String password, PrintStream err) {
        if (H2Compaction.h2File(url) == null) {
            return; // not an H2 file database
        }
        try {
            H2Compaction.shutdownCompact(url, user, password);
        } catch (SQLException e) {
            // the import is committed; only the space is not given back
            err.println("import: the database was not compacted: " + LogInput.reason(e));
        }
    }

    /**
     * The file, decompressed when it is a gzip, within the ratio limit when it is a regular file (a pipe has no size to
     * hold the ratio to); {@code bytesRead} is told the bytes read from the file itself.
     */
    static InputStream open(Path file, LongConsumer bytesRead, int maxRatio) throws IOException {
        InputStream in;
        try {
            in = LogInput.decompressing(new CountingInputStream(Files.newInputStream(file), bytesRead));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        if (in instanceof GZIPInputStream && Files.isRegularFile(file)) {
            in = DecompressionLimit.wrap(in, Files.size(file), maxRatio, RAISE);
        }
        return in;
    }
}
