package com.mailtrail.generate;

import com.mailtrail.generate.World.Domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The traffic model: turns one arriving message into all the lines it causes over its life (enqueue, delivery
 * attempts, deferrals with growing backoff, bounces and their notifications, connection open/close), each with its
 * time. Lines are handed to the sink unsorted across messages; the generator sorts them by time.
 */
final class Traffic {

    static final long SEC = 100;
    static final long MIN = 60 * SEC;
    static final long HOUR = 60 * MIN;
    /** The job controller's retry intervals after the 1st, 2nd... failed attempt. */
    private static final long[] BACKOFF = {15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR};
    private static final String TCP_LOCAL = "tcp_local";
    private static final String IMS_MS = "ims-ms";
    private static final String MAILSRV = "mailsrv";

    private final Rng rng;
    private final Consumer<Event> sink;
    private final long fileBase;
    private final long idBase;
    private long files;
    private long ids;

    Traffic(Rng rng, Consumer<Event> sink) {
        this.rng = rng;
        this.sink = sink;
        this.fileBase = rng.nextInt(1 << 30);
        this.idBase = rng.nextLong() >>> 20;
    }

    /** The envelope and headers of one message, as far as the log shows them. */
    static final class Msg {
        String sender;
        /** The sender's remote domain, null for our own users. */
        Domain senderDomain;
        String id;
        /** For a notification the MTA generated: the id of the message it reports on. */
        String originalId;
        String envelopeId;
        long size;
        int notary = -1;
        int sensitivity = -1;
        int priority = -1;
        /** The sender asked for NOTIFY=NEVER: a permanent failure is logged as K and not reported. */
        boolean notifyNever;
    }

    record Rcpt(String original, String current, Domain domain, String intermediate, boolean unknown) {
    }

    /** A queue file: renamed ZZ → ZY → ZX... on each failed attempt, the rest of the name stays. */
    static final class QFile {
        final String directory;
        final String stem;
        final long enqueued;
        String suffix;
        int attempts;

        QFile(String directory, String stem, String suffix, long enqueued, int attempts) {
            this.directory = directory;
            this.stem = stem;
            this.suffix = suffix;
            this.enqueued = enqueued;
            this.attempts = attempts;
        }

        String path() {
            return directory + World.attemptLetters(attempts) + stem + '.' + suffix;
        }
    }

    /** An SMTP server session: what every line it writes says about the client. */
    record Inbound(Session session, String channel, String sourceSystem, String transport, String application) {
    }

    void message(long t) {
        int r = rng.nextInt(100);
        if (r < 40) {
            inbound(t, false);
        } else if (r < 45) {
            inbound(t, true);
        } else if (r < 49) {
            relayAttempt(t);
        } else if (r < 63) {
            intranet(t);
        } else if (r < 87) {
            submission(t);
        } else if (r < 92) {
            local(t);
        } else {
            list(t);
        }
    }

    // ---- scenarios -----------------------------------------------------------------------------------------

    /** Mail from the Internet for our users: tcp_local → ims-ms, or through the conversion channel first. */
    private void inbound(long t, boolean conversion) {
        Domain from = rng.pick(World.DOMAINS);
        boolean tls = rng.chance(0.6);
        Inbound c = open(t, TCP_LOCAL, World.PUBLIC_IP, 25, from.mx(), from.mx(), from.ip(), tls);
        Msg m = newMessage(remoteAddress(from), from, rng.chance(0.8) ? muaId(from.name()) : mtaId(from.name()));
        List<Rcpt> rcpts = new ArrayList<>();
        int n = recipientCount();
        for (int i = 0; i < n; i++) {
            addDistinct(rcpts, storeRecipient(localUser(), null));
        }
        String code = tls ? "EES" : rng.chance(0.05) ? "EEC" : "EE";
        long te = t + rng.between(40, 400);
        QFile f = newFile(conversion ? "conversion" : IMS_MS, te, 0);
        for (Rcpt r : rcpts) {
            enqueue(te, c, conversion ? "conversion" : IMS_MS, code, m, r, f);
            te += rng.nextInt(2);
        }
        close(te + rng.between(5, 60), c);
        if (!conversion) {
            storeDelivery(m, rcpts, f, te + rng.between(10, 300));
            return;
        }
        long tc = te + rng.between(50, 400);
        Session s = new Session(Session.Kind.CONVERSION);
        QFile g = newFile(IMS_MS, tc, 0);
        for (Rcpt r : rcpts) {
            message(tc++, s, "conversion", IMS_MS, "E", m, r, g).username = MAILSRV;
        }
        for (Rcpt r : rcpts) {
            message(tc++, s, "conversion", null, "D", m, r, f);
        }
        storeDelivery(m, rcpts, g, tc + rng.between(10, 300));
    }

    /** Someone on the Internet tries to relay through us: J entries, nothing is queued. */
    private void relayAttempt(long t) {
        String ip = "203.0.113." + rng.between(100, 250);
        String helo = rng.chance(0.5) ? "[" + ip + "]" : "WIN-" + World.alnum(rng, 8).toUpperCase();
        Inbound c = open(t, TCP_LOCAL, World.PUBLIC_IP, 25, helo, null, ip, false);
        Msg m = new Msg();
        m.sender = remoteAddress(rng.pick(World.DOMAINS));
        long tj = t + rng.between(50, 300);
        int n = rng.between(1, 3);
        for (int i = 0; i < n; i++) {
            String to = remoteAddress(rng.pick(World.DOMAINS));
            Event e = message(tj, c.session(), TCP_LOCAL, null, "JE", m, new Rcpt("", to, null, null, false), null);
            e.size = 0;
            fromServer(e, c);
            e.diagnostic = "550 5.7.1 Relaying not permitted: " + to;
            tj += rng.between(5, 60);
        }
        close(tj + rng.between(5, 40), c);
    }

    /** Applications on the intranet send through us: tcp_intranet → tcp_local, some to our own users. */
    private void intranet(long t) {
        String host = rng.pick(World.INTRANET_HOSTS);
        String ip = "10.1.0." + (10 + indexOf(World.INTRANET_HOSTS, host));
        Inbound c = open(t, "tcp_intranet", World.INTRANET_IP, 25, host, host, ip, false);
        boolean automated = rng.chance(0.6);
        String sender = automated ? rng.pick(World.AUTOMATED) + "@" + World.LOCAL_DOMAIN : localUser();
        Msg m = newMessage(sender, null, rng.chance(0.5) ? mtaId(host) : muaId(World.LOCAL_DOMAIN));
        m.notifyNever = automated && rng.chance(0.5);
        int n = recipientCount();
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addDistinct(rcpts, rng.chance(0.9) ? remoteRecipient() : storeRecipient(localUser(), null));
        }
        enqueueAll(t + rng.between(30, 300), c, "EE", m, rcpts);
    }

    /** Our users submit with SMTP AUTH on port 587: tcp_submit → tcp_local / ims-ms, code EEA or EESA. */
    private void submission(long t) {
        boolean vpn = rng.chance(0.6);
        String ip = vpn ? "10.20." + rng.nextInt(32) + "." + rng.between(2, 254) : "203.0.113." + rng.between(2, 99);
        String helo = rng.pick(World.CLIENT_HELOS) + "-" + World.hex(rng, 4).toLowerCase();
        String rdns = vpn ? "vpn-" + ip.replace('.', '-') + ".corp." + World.LOCAL_DOMAIN : null;
        boolean tls = rng.chance(0.9);
        Inbound c = open(t, "tcp_submit", World.PUBLIC_IP, 587, helo, rdns, ip, tls);
        Msg m = newMessage(localUser(), null, muaId(World.LOCAL_DOMAIN));
        if (rng.chance(0.15)) {
            m.envelopeId = envelopeId();
        }
        int n = recipientCount();
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addDistinct(rcpts, rng.chance(0.7) ? remoteRecipient() : storeRecipient(localUser(), null));
        }
        enqueueAll(t + rng.between(100, 600), c, tls ? "EESA" : "EEA", m, rcpts);
    }

    /** A local user runs sendmail on the host: channel l, no connection, the user's name in the username field. */
    private void local(long t) {
        String sender = localUser();
        Msg m = newMessage(sender, null, mtaId(World.LOCAL_DOMAIN));
        Session s = new Session(Session.Kind.COMMAND);
        String user = sender.substring(0, sender.indexOf('@'));
        int n = rng.chance(0.8) ? 1 : 2;
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addDistinct(rcpts, rng.chance(0.8) ? remoteRecipient() : storeRecipient(localUser(), null));
        }
        long te = t;
        for (Map.Entry<String, List<Rcpt>> group : byDestination(rcpts).entrySet()) {
            String channel = channelOf(group.getValue().get(0));
            QFile f = newFile(channel, te, 0);
            for (Rcpt r : group.getValue()) {
                message(te, s, "l", channel, "E", m, r, f).username = user;
                te += rng.nextInt(2);
            }
            deliver(m, group.getValue(), f, te);
        }
    }

    /** A mailing list: one original recipient expanded to many, members on one channel share a queue file. */
    private void list(long t) {
        String listAddress = rng.pick(World.LISTS) + "@" + World.LOCAL_DOMAIN;
        boolean internal = rng.chance(0.5);
        Inbound c;
        Msg m;
        String code;
        if (internal) {
            String ip = "10.20." + rng.nextInt(32) + "." + rng.between(2, 254);
            c = open(t, "tcp_submit", World.PUBLIC_IP, 587, "[" + ip + "]", null, ip, true);
            m = newMessage(localUser(), null, muaId(World.LOCAL_DOMAIN));
            code = "EESA";
        } else {
            Domain from = rng.pick(World.DOMAINS);
            c = open(t, TCP_LOCAL, World.PUBLIC_IP, 25, from.mx(), from.mx(), from.ip(), false);
            m = newMessage(remoteAddress(from), from, muaId(from.name()));
            code = "EE";
        }
        int n = rng.between(3, 12);
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (rng.chance(0.7)) {
                String member = localUser();
                addDistinct(rcpts, new Rcpt(listAddress, uid(member) + World.STORE_DAEMON, null, member, false));
            } else {
                Domain d = rng.pick(World.DOMAINS);
                addDistinct(rcpts, new Rcpt(listAddress, remoteAddress(d), d, null, rng.chance(0.03)));
            }
        }
        enqueueAll(t + rng.between(100, 500), c, code, m, rcpts);
    }

    // ---- enqueue -------------------------------------------------------------------------------------------

    /** Enqueues every recipient from one SMTP session, one queue file per destination, closes, then delivers. */
    private void enqueueAll(long te, Inbound c, String code, Msg m, List<Rcpt> rcpts) {
        Map<String, List<Rcpt>> groups = byDestination(rcpts);
        List<QFile> queueFiles = new ArrayList<>();
        for (List<Rcpt> group : groups.values()) {
            String channel = channelOf(group.get(0));
            QFile f = newFile(channel, te, 0);
            queueFiles.add(f);
            for (Rcpt r : group) {
                enqueue(te, c, channel, code, m, r, f);
                te += rng.nextInt(2);
            }
        }
        close(te + rng.between(5, 80), c);
        int i = 0;
        for (List<Rcpt> group : groups.values()) {
            deliver(m, group, queueFiles.get(i++), te);
        }
    }

    /** Groups by destination: all store recipients together, remote ones per domain (tcp_local is single_sys). */
    private static Map<String, List<Rcpt>> byDestination(List<Rcpt> rcpts) {
        Map<String, List<Rcpt>> groups = new LinkedHashMap<>();
        for (Rcpt r : rcpts) {
            groups.computeIfAbsent(r.domain() == null ? "" : r.domain().name(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /** The MTA drops a duplicate recipient of the same message, so the model never makes one. */
    private static void addDistinct(List<Rcpt> rcpts, Rcpt r) {
        for (Rcpt other : rcpts) {
            if (other.current().equals(r.current())) {
                return;
            }
        }
        rcpts.add(r);
    }

    private static String channelOf(Rcpt r) {
        return r.domain() == null ? IMS_MS : TCP_LOCAL;
    }

    private void deliver(Msg m, List<Rcpt> group, QFile f, long t) {
        if (group.get(0).domain() == null) {
            storeDelivery(m, group, f, t + rng.between(10, 300));
        } else {
            remoteDelivery(m, group, f, t);
        }
    }

    private void enqueue(long t, Inbound c, String destination, String code, Msg m, Rcpt r, QFile f) {
        Event e = message(t, c.session(), c.channel(), destination, code, m, r, f);
        fromServer(e, c);
    }

    private static void fromServer(Event e, Inbound c) {
        e.username = MAILSRV;
        e.sourceSystem = c.sourceSystem();
        e.transport = c.transport();
        e.application = c.application();
    }

    // ---- delivery to the message store ---------------------------------------------------------------------

    /**
     * ims-ms delivers recipient by recipient. A busy mailbox defers that recipient: Q when it is the only one,
     * Z when others in the same file were delivered (the rest moves to a new file at once).
     */
    private void storeDelivery(Msg m, List<Rcpt> rcpts, QFile f, long t) {
        for (int attempt = 0; ; attempt++) {
            Session s = new Session(Session.Kind.STORE_MASTER);
            double busy = attempt == 0 ? 0.03 : attempt < 4 ? 0.3 : 0;
            boolean[] deferred = new boolean[rcpts.size()];
            boolean anyDelivered = false;
            for (int i = 0; i < deferred.length; i++) {
                deferred[i] = m.originalId == null && rng.chance(busy);
                anyDelivered |= !deferred[i];
            }
            List<Rcpt> left = new ArrayList<>();
            for (int i = 0; i < deferred.length; i++) {
                Rcpt r = rcpts.get(i);
                t += rng.between(3, 40);
                if (!deferred[i]) {
                    message(t, s, IMS_MS, null, "D", m, r, f);
                    continue;
                }
                Event e = message(t, s, IMS_MS, null, anyDelivered ? "Z" : "Q", m, r, f);
                e.diagnostic = rng.chance(0.9) ? "Mailbox is busy"
                        : "System I/O error. Administrator, check server log for details. System I/O error.";
                left.add(r);
            }
            if (left.isEmpty()) {
                return;
            }
            // Z: the file is dequeued and the deferred recipients are enqueued to a new one at once.
            f = anyDelivered ? newFile(IMS_MS, t, f.attempts + 1) : renamed(f);
            t += retryDelay(attempt);
            rcpts = left;
        }
    }

    // ---- delivery by SMTP ----------------------------------------------------------------------------------

    private enum Fate { OK, GREYLISTED, HOST_DOWN, HOST_DEAD, MAILBOX_FULL, ONE_MAILBOX_FULL, RELAY_DENIED,
        NO_SUCH_DOMAIN, TOO_LARGE }

    /** One queue file of tcp_local (one remote domain): attempts until delivered, returned, or the day is over. */
    private void remoteDelivery(Msg m, List<Rcpt> rcpts, QFile f, long t) {
        Domain d = rcpts.get(0).domain();
        Fate fate = fate(m, d, rcpts.size());
        int deferrals = switch (fate) {
            case GREYLISTED -> rng.chance(0.8) ? 1 : 2;
            case HOST_DOWN -> rng.between(1, 4);
            case MAILBOX_FULL -> rng.between(1, 3);
            case ONE_MAILBOX_FULL -> 1;
            case HOST_DEAD -> Integer.MAX_VALUE;
            default -> 0;
        };
        int victim = rng.nextInt(rcpts.size());
        long start = t;
        t += rng.between(50, 1500);
        for (int attempt = 0; ; attempt++) {
            Session s = new Session(Session.Kind.TCP_MASTER);
            boolean defer = attempt < deferrals;
            List<Rcpt> left = new ArrayList<>();
            boolean moved = false;
            if (fate == Fate.NO_SUCH_DOMAIN) {
                boolean notified = false;
                for (Rcpt r : rcpts) {
                    notified = fail(m, r, f, t, s, "Illegal host/domain name found", null, null, null, notified);
                    t += 2;
                }
                return;
            }
            if (defer && (fate == Fate.HOST_DOWN || fate == Fate.HOST_DEAD)) {
                String diag = connectFailure(d, fate, attempt);
                for (Rcpt r : rcpts) {
                    Event e = message(t++, s, TCP_LOCAL, null, "Q", m, r, f);
                    e.size = 0;
                    e.diagnostic = diag;
                    left.add(r);
                }
            } else {
                int port = rng.between(32768, 60999);
                String transport = "TCP|" + World.PUBLIC_IP + "|" + port + "|" + d.ip() + "|25";
                boolean tls = rng.chance(0.7);
                String application = tls ? "SMTP/" + rng.pick(World.TLS) : "SMTP";
                connection(t, s, TCP_LOCAL, "-", "O", transport, application);
                String remote = "dns;" + d.mx() + " (" + transport + ") (" + World.banner(d) + ") ";
                String accepted = null;
                boolean notified = false;
                t += rng.between(20, 250);
                for (int i = 0; i < rcpts.size(); i++) {
                    Rcpt r = rcpts.get(i);
                    t += rng.nextInt(4);
                    if (fate == Fate.RELAY_DENIED) {
                        notified = fail(m, r, f, t, s, remote + "smtp;554 5.7.1 <" + r.current()
                                + ">: Relay access denied", d, transport, application, notified);
                    } else if (fate == Fate.TOO_LARGE) {
                        notified = fail(m, r, f, t, s, remote + "smtp;552 5.3.4 Message too large", d, transport,
                                application, notified);
                    } else if (r.unknown() && m.originalId == null) {
                        notified = fail(m, r, f, t, s, remote + World.userUnknown(d, r.current()), d, transport,
                                application, notified);
                    } else if (defer && fate != Fate.ONE_MAILBOX_FULL || defer && i == victim) {
                        String reply = fate == Fate.GREYLISTED ? "smtp;451 4.7.1 Greylisted, please try again later"
                                : "smtp;452 4.2.2 Mailbox full";
                        boolean partial = fate == Fate.ONE_MAILBOX_FULL;
                        Event e = remote(message(t, s, TCP_LOCAL, null, partial ? "Z" : "Q", m, r, f), d,
                                transport, application);
                        e.size = partial ? m.size : 0;
                        e.diagnostic = remote + reply;
                        moved |= partial;
                        left.add(r);
                    } else {
                        if (accepted == null) {
                            accepted = World.accepted(d, rng, m.id);
                        }
                        Event e = remote(message(t, s, TCP_LOCAL, null, tls ? "DES" : "DE", m, r, f), d, transport,
                                application);
                        e.diagnostic = remote + accepted;
                    }
                }
                t += rng.between(2, 30);
                connection(t, s, TCP_LOCAL, "-", "C", transport, application);
            }
            if (left.isEmpty()) {
                return;
            }
            f = moved ? newFile(TCP_LOCAL, t, f.attempts + 1) : renamed(f);
            t += retryDelay(attempt);
            if (fate == Fate.HOST_DEAD && (attempt >= 7 || t - start > 20 * HOUR)) {
                return; // still queued when the log ends; the nightly return job will bounce it after days
            }
            rcpts = left;
            victim = -1;
        }
    }

    private Fate fate(Msg m, Domain d, int recipients) {
        if (!d.resolves()) {
            return Fate.NO_SUCH_DOMAIN;
        }
        if (m.size > d.maxSizeKb()) {
            return Fate.TOO_LARGE;
        }
        if (m.originalId != null) {
            return Fate.OK;
        }
        int r = rng.nextInt(1000);
        if (r < 45) {
            return Fate.GREYLISTED;
        }
        if (r < 75) {
            return Fate.HOST_DOWN;
        }
        if (r < 82) {
            return Fate.HOST_DEAD;
        }
        if (r < 92) {
            return recipients == 1 ? Fate.MAILBOX_FULL : Fate.ONE_MAILBOX_FULL;
        }
        if (r < 100) {
            return Fate.RELAY_DENIED;
        }
        return Fate.OK;
    }

    private String connectFailure(Domain d, Fate fate, int attempt) {
        if (attempt > 0 && rng.chance(0.4)) {
            return "Too many failures to this host during this run; skipping this host: Dead (unresponsive) host";
        }
        String error;
        int r = rng.nextInt(3);
        if (fate == Fate.HOST_DEAD || r == 0) {
            error = "Connection timed out";
        } else if (r == 1) {
            error = "no route to host";
        } else {
            error = "connection refused";
        }
        return "TCP active open: Failed connect() " + d.ip() + ":25  Error: " + error;
    }

    private static Event remote(Event e, Domain d, String transport, String application) {
        e.sourceSystem = d.mx();
        e.transport = transport;
        e.application = application;
        return e;
    }

    /**
     * A permanent failure: R, preceded by the enqueue of the notification to the sender when this is the first
     * failure of the attempt; K without a notification when the sender asked for NOTIFY=NEVER.
     *
     * @return whether a notification has been enqueued for this attempt
     */
    private boolean fail(Msg m, Rcpt r, QFile f, long t, Session s, String diagnostic, Domain d, String transport,
                         String application, boolean notified) {
        boolean never = m.notifyNever || m.sender.isEmpty();
        if (!never && !notified) {
            notify(m, t, s, TCP_LOCAL);
        }
        Event e = message(t + 1, s, TCP_LOCAL, null, never ? "K" : "R", m, r, f);
        if (d != null) {
            remote(e, d, transport, application);
        }
        e.diagnostic = diagnostic;
        return notified || !never;
    }

    /**
     * The delivery status notification: enqueued by the failing channel to the process channel with an empty
     * envelope From and the message id pair {@code <new>,<original>}, then passed on and delivered.
     */
    private void notify(Msg m, long t, Session s, String channel) {
        Msg n = new Msg();
        n.sender = "";
        n.id = mtaId("mail." + World.LOCAL_DOMAIN);
        n.originalId = m.id;
        n.size = m.size > 64 ? 4 : m.size + 2;
        n.notary = m.notary;
        n.sensitivity = 0;
        n.priority = 3;
        Rcpt toProcess = new Rcpt(m.sender, m.sender, m.senderDomain, null, false);
        QFile p = newFile("process", t, 0);
        message(t, s, channel, "process", "E", n, toProcess, p).username = MAILSRV;
        long tp = t + rng.between(30, 400);
        Session ps = new Session(Session.Kind.PROCESS);
        Rcpt to = m.senderDomain == null ? storeRecipient(m.sender, null) : toProcess;
        String destination = channelOf(to);
        QFile g = newFile(destination, tp, 0);
        message(tp, ps, "process", destination, "E", n, to, g).username = MAILSRV;
        message(tp + 1, ps, "process", null, "D", n, toProcess, p);
        deliver(n, List.of(to), g, tp + 1);
    }

    // ---- lines ---------------------------------------------------------------------------------------------

    private Event message(long t, Session s, String source, String destination, String code, Msg m, Rcpt r,
                          QFile f) {
        Event e = new Event();
        e.time = t;
        e.session = s;
        e.source = source;
        e.destination = destination;
        e.code = code;
        e.size = m.size;
        e.sender = m.sender;
        e.originalRecipient = r.original();
        e.recipient = r.current();
        e.notary = m.notary;
        e.envelopeId = m.envelopeId;
        e.messageId = m.id;
        e.originalMessageId = m.originalId;
        e.sensitivity = m.sensitivity;
        e.priority = m.priority;
        e.intermediate = r.intermediate();
        if (f != null) {
            e.queueFile = f.path();
            e.queueTime = (t - f.enqueued) / SEC;
        }
        sink.accept(e);
        return e;
    }

    private void connection(long t, Session s, String channel, String direction, String code, String transport,
                            String application) {
        Event e = new Event();
        e.connection = true;
        e.time = t;
        e.session = s;
        e.source = channel;
        e.direction = direction;
        e.code = code;
        e.transport = transport;
        e.application = application;
        sink.accept(e);
    }

    private Inbound open(long t, String channel, String localIp, int localPort, String helo, String rdns, String ip,
                         boolean tls) {
        Session s = new Session(Session.Kind.SMTP_SERVER);
        String transport = "TCP|" + localIp + "|" + localPort + "|" + ip + "|" + rng.between(1024, 65535);
        String application = tls ? "SMTP/" + rng.pick(World.TLS) : "SMTP";
        String system = helo + " (" + (rdns == null ? "" : rdns + " ") + "[" + ip + "])";
        Inbound c = new Inbound(s, channel, system, transport, application);
        connection(t, s, channel, "+", "O", transport, application);
        return c;
    }

    private void close(long t, Inbound c) {
        connection(t, c.session(), c.channel(), "+", "C", c.transport(), c.application());
    }

    // ---- names ---------------------------------------------------------------------------------------------

    private QFile newFile(String channel, long t, int attempts) {
        StringBuilder dir = new StringBuilder(64).append(World.QUEUE_ROOT).append(channel).append('/');
        if (channel.equals(TCP_LOCAL) || channel.equals(IMS_MS)) {
            int sub = rng.nextInt(20);
            dir.append('0').append((char) ('0' + sub / 10)).append((char) ('0' + sub % 10)).append('/');
        }
        // 6.x names: a time-derived part then a counter, so names made close together look alike (yuej4, yuej6).
        StringBuilder stem = new StringBuilder(11).append('f');
        World.base62(stem, (t / SEC / 7) % (62L * 62 * 62 * 62), 4);
        World.base62(stem, (fileBase + files++) % 56_800_235_584L, 6);
        return new QFile(dir.toString(), stem.toString(), rng.chance(0.85) ? "00" : "01", t, attempts);
    }

    private QFile renamed(QFile f) {
        QFile next = new QFile(f.directory, f.stem, f.suffix, f.enqueued, f.attempts + 1);
        if (next.suffix.equals("00") && rng.chance(0.2)) {
            next.suffix = "01";
        }
        return next;
    }

    private long retryDelay(int attempt) {
        return BACKOFF[Math.min(attempt, BACKOFF.length - 1)] + rng.between(0, 120) * SEC;
    }

    private Msg newMessage(String sender, Domain senderDomain, String id) {
        Msg m = new Msg();
        m.sender = sender;
        m.senderDomain = senderDomain;
        m.id = id;
        m.size = size();
        int n = rng.nextInt(10);
        m.notary = n < 8 ? 276 : n == 8 ? 278 : 260;
        m.sensitivity = 0;
        int p = rng.nextInt(20);
        m.priority = p == 0 ? 1 : p == 1 ? 5 : 3;
        return m;
    }

    /** Kilobyte blocks: mostly text mail of a few KB, some attachments of a few MB. */
    private long size() {
        double g = gaussian();
        double kb = rng.chance(0.96) ? Math.exp(Math.log(6) + 1.1 * g) : Math.exp(Math.log(1500) + 1.1 * g);
        return Math.max(1, (long) Math.ceil(kb));
    }

    private double gaussian() {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private int recipientCount() {
        int r = rng.nextInt(100);
        return r < 78 ? 1 : r < 90 ? 2 : r < 97 ? rng.between(3, 4) : rng.between(5, 8);
    }

    private String localUser() {
        return rng.pick(World.FIRST) + "." + rng.pick(World.LAST) + "@" + World.LOCAL_DOMAIN;
    }

    private static String uid(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    private static Rcpt storeRecipient(String address, String intermediate) {
        return new Rcpt(address, uid(address) + World.STORE_DAEMON, null, intermediate, false);
    }

    private Rcpt remoteRecipient() {
        Domain d = rng.chance(0.01) ? rng.pick(World.BOGUS) : rng.pick(World.DOMAINS);
        String address = remoteAddress(d);
        return new Rcpt(address, address, d, null, rng.chance(0.02));
    }

    private String remoteAddress(Domain d) {
        String local = rng.chance(0.25) ? rng.pick(World.REMOTE_ROLES)
                : rng.chance(0.5) ? rng.pick(World.FIRST) + "." + rng.pick(World.LAST)
                : rng.pick(World.FIRST).charAt(0) + rng.pick(World.LAST);
        return local + "@" + d.name();
    }

    /** Messaging Server's own ids: {@code <0T...@host>}, 16 characters, unique by a counter. */
    private String mtaId(String host) {
        StringBuilder b = new StringBuilder(48).append("<0T");
        World.base36(b, (idBase + ids++) % 2_821_109_907_456L, 8);
        World.base36(b, rng.nextLong() >>> 30, 6);
        return b.append('@').append(host).append('>').toString();
    }

    /** A mail client's id: unique by a scrambled counter, random-looking. */
    private String muaId(String domain) {
        StringBuilder b = new StringBuilder(56).append('<');
        String h = Long.toHexString(Rng.mix(idBase + ids++));
        for (int i = h.length(); i < 16; i++) {
            b.append('0');
        }
        b.append(h).append('.').append(World.hex(rng, 6).toLowerCase()).append('@');
        return b.append(rng.chance(0.5) ? "mail." + domain : domain).append('>').toString();
    }

    private String envelopeId() {
        StringBuilder b = new StringBuilder(40).append("<01");
        World.base36(b, rng.nextLong() >>> 10, 12);
        return b.append('@').append(World.LOCAL_DOMAIN).append('>').toString();
    }

    private static int indexOf(String[] values, String value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }
}
