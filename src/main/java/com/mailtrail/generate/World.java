package com.mailtrail.generate;

/**
 * The invented organisation and its correspondents: example.com with its users and lists, remote domains under
 * reserved names (RFC 2606 example.* and .test/.example/.invalid), documentation IP ranges (RFC 5737). No real
 * people or hosts.
 */
final class World {

    static final String LOCAL_DOMAIN = "example.com";
    static final String NODE = "mta1";
    static final String PUBLIC_IP = "192.0.2.25";
    static final String INTRANET_IP = "10.0.0.25";
    static final String QUEUE_ROOT = "/opt/sun/comms/messaging64/data/queue/";
    static final String STORE_DAEMON = "@ims-ms-daemon";

    static final String[] FIRST = {"alice", "ben", "carla", "dev", "elena", "farid", "grace", "hugo", "ines",
            "jonas", "kira", "liam", "maya", "nils", "olga", "pavel", "quinn", "rosa", "sam", "tara", "umar", "vera",
            "wes", "xenia", "yusuf", "zoe", "anton", "bianca", "chen", "dora"};
    static final String[] LAST = {"adler", "brandt", "castro", "dubois", "eriksen", "fontaine", "garcia", "hale",
            "ito", "jensen", "kowalski", "lindqvist", "moreau", "novak", "okafor", "petrov", "quist", "rossi",
            "santos", "tanaka", "ueda", "varga", "weber", "yilmaz", "zimmer", "abbott", "berg", "costa", "diaz",
            "engel"};
    static final String[] REMOTE_ROLES = {"info", "sales", "support", "billing", "newsletter", "noreply", "orders",
            "hr", "events", "office"};
    static final String[] AUTOMATED = {"noreply", "alerts", "monitoring", "hr-system", "invoices", "ci-builds",
            "ticketing", "backup-report"};
    static final String[] LISTS = {"all-staff", "engineering", "sales-team", "announce", "it-ops", "board",
            "social-club", "project-orion"};
    static final String[] INTRANET_HOSTS = {"app01.corp.example.com", "app02.corp.example.com",
            "erp.corp.example.com", "jira.corp.example.com", "nagios.corp.example.com", "build.corp.example.com"};
    static final String[] CLIENT_HELOS = {"laptop", "desktop", "mbp", "ws", "tablet"};
    static final String[] TLS = {"TLS-256-AES256-GCM-SHA384", "TLS-128-AES128-GCM-SHA256"};

    enum Server { POSTFIX, SENDMAIL, EXIM, EXCHANGE, MESSAGING_SERVER }

    /** A remote mail domain and the server that receives its mail. */
    record Domain(String name, String mx, String ip, Server server, long maxSizeKb, boolean resolves) {
    }

    static final Domain[] DOMAINS = {
            domain("example.org", Server.POSTFIX, 51_200, 10),
            domain("example.net", Server.EXCHANGE, 35_840, 11),
            domain("lists.example.org", Server.POSTFIX, 10_240, 12),
            domain("corp.example.net", Server.EXCHANGE, 25_600, 13),
            domain("acme-widgets.example", Server.SENDMAIL, 20_480, 21),
            domain("bluefin-logistics.example", Server.POSTFIX, 25_600, 22),
            domain("harborbank.example", Server.MESSAGING_SERVER, 10_240, 23),
            domain("orchard-labs.test", Server.EXIM, 51_200, 24),
            domain("northfield-college.example", Server.MESSAGING_SERVER, 20_480, 25),
            domain("riverside-clinic.test", Server.EXCHANGE, 10_240, 26),
            domain("pinecrest-realty.example", Server.POSTFIX, 20_480, 27),
            domain("quartz-media.test", Server.EXIM, 51_200, 28),
            domain("globex-shipping.example", Server.SENDMAIL, 15_360, 29),
            domain("tidewater-energy.test", Server.EXCHANGE, 35_840, 30),
            domain("maplegrove-school.example", Server.POSTFIX, 10_240, 31),
            domain("summit-legal.test", Server.MESSAGING_SERVER, 20_480, 32),
            domain("ironbridge-consulting.example", Server.EXIM, 25_600, 33),
            domain("sunset-travel.test", Server.POSTFIX, 10_240, 34),
    };

    /** Typos and dead names: DNS says no, the MTA returns the message at once. */
    static final Domain[] BOGUS = {
            new Domain("exmaple.org", null, null, Server.POSTFIX, 0, false),
            new Domain("very.bogus.invalid", null, null, Server.POSTFIX, 0, false),
            new Domain("acme-widgets.exmaple", null, null, Server.POSTFIX, 0, false),
    };

    private static Domain domain(String name, Server server, long maxSizeKb, int host) {
        String ip = (host < 20 ? "198.51.100." : "203.0.113.") + host;
        String mx = (server == Server.EXCHANGE ? "mail." : "mx1.") + name;
        return new Domain(name, mx, ip, server, maxSizeKb, true);
    }

    static String banner(Domain d) {
        return switch (d.server()) {
            case POSTFIX -> d.mx() + " ESMTP Postfix";
            case SENDMAIL -> d.mx() + " ESMTP Sendmail 8.18.1/8.18.1; ready";
            case EXIM -> d.mx() + " ESMTP Exim 4.97";
            case EXCHANGE -> d.mx() + " Microsoft ESMTP MAIL Service ready";
            case MESSAGING_SERVER -> d.mx() + " -- Server ESMTP (Oracle Communications Messaging Server 8.1.0.24)";
        };
    }

    static String accepted(Domain d, Rng rng, String messageId) {
        return switch (d.server()) {
            case POSTFIX -> "smtp;250 2.0.0 Ok: queued as " + hex(rng, 10);
            case SENDMAIL -> "smtp;250 2.0.0 62" + alnum(rng, 6) + rng.between(10000, 99999)
                    + " Message accepted for delivery";
            case EXIM -> "smtp;250 OK id=1w" + alnum(rng, 4) + "-000" + alnum(rng, 3) + "-" + alnum(rng, 2);
            case EXCHANGE -> "smtp;250 2.6.0 " + messageId + " [InternalId=" + (100000000000L + rng.nextInt(999999999))
                    + "] Queued mail for delivery";
            case MESSAGING_SERVER -> "smtp;250 2.5.0 Ok.";
        };
    }

    static String userUnknown(Domain d, String address) {
        return switch (d.server()) {
            case POSTFIX -> "smtp;550 5.1.1 <" + address + ">: Recipient address rejected: User unknown in local recipient table";
            case SENDMAIL -> "smtp;550 5.1.1 <" + address + ">... User unknown";
            case EXIM -> "smtp;550 5.1.1 <" + address + ">: No such user here";
            case EXCHANGE -> "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup";
            case MESSAGING_SERVER -> "smtp;550 5.1.1 unknown or illegal alias: " + address;
        };
    }

    private static final char[] ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    static String hex(Rng rng, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ALNUM[rng.nextInt(16)];
        }
        return new String(c);
    }

    static String alnum(Rng rng, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ALNUM[rng.nextInt(62)];
        }
        return new String(c);
    }

    /** Fixed-width base 62 (0-9A-Za-z) of a non-negative value. */
    static void base62(StringBuilder b, long value, int width) {
        char[] c = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            c[i] = ALNUM[(int) (value % 62)];
            value /= 62;
        }
        b.append(c);
    }

    /** Fixed-width base 36 (0-9A-Z). */
    static void base36(StringBuilder b, long value, int width) {
        char[] c = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            c[i] = ALNUM[(int) (value % 36)];
            value /= 36;
        }
        b.append(c);
    }

    /** The two leading letters of a queue file name: attempts so far in complemented base 36 (ZZ = 0, ZY = 1). */
    static String attemptLetters(int attempts) {
        return new String(new char[] {ALNUM[35 - attempts / 36 % 36], ALNUM[35 - attempts % 36]});
    }

    private World() {
    }
}
