package com.mailtrail.generate;

/**
 * One line waiting to be written. Mutable and package-private: the traffic model fills it in when it schedules a
 * message, the writer numbers and renders it when its time comes. Empty text fields are null; empty numbers are -1.
 */
final class Event {

    /** Hundredths of a second since 00:00 of the configured day. */
    long time;
    /** Scheduling order: breaks ties so that a message's own lines keep their causal order. */
    long order;
    boolean connection;
    Session session;

    String source;
    String destination;
    String direction;
    String code;
    long size;
    String sender;
    String originalRecipient;
    String recipient;
    int notary = -1;
    String queueFile;
    String envelopeId;
    String messageId;
    String originalMessageId;
    String username;
    String sourceSystem;
    int sensitivity = -1;
    int priority = -1;
    String intermediate;
    String initial;
    String filter;
    String reason;
    String diagnostic;
    String transport;
    String application;
    long queueTime = -1;
}
