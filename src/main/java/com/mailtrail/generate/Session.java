package com.mailtrail.generate;

/**
 * The process (and thread) that wrote a group of lines: an SMTP server session, one delivery attempt of a channel
 * master program, a command-line submission. Its process id is given when its first line is written, so that
 * per-process sequence numbers rise in time order.
 */
final class Session {

    enum Kind {
        /** tcp_smtp_server: multithreaded, long-lived, a few processes. */
        SMTP_SERVER(true, 2, 6),
        /** A channel master program (tcp_local, ims-ms): multithreaded, restarted by the job controller. */
        TCP_MASTER(true, 1, 1),
        STORE_MASTER(true, 1, 2),
        /** Single-threaded channel programs: pid.seq. */
        CONVERSION(false, 1, 1),
        PROCESS(false, 1, 1),
        /** A user's sendmail/mail command: a new process each time. */
        COMMAND(false, 0, 0);

        final boolean threaded;
        final int processes;
        final int lifetimeHours;

        Kind(boolean threaded, int processes, int lifetimeHours) {
            this.threaded = threaded;
            this.processes = processes;
            this.lifetimeHours = lifetimeHours;
        }
    }

    final Kind kind;
    String processId;

    Session(Kind kind) {
        this.kind = kind;
    }
}
