package com.mailtrail.message;

/** No message, log file or log line under the id asked for. */
public class MessageNotFoundException extends RuntimeException {

    public MessageNotFoundException(String message) {
        super(message);
    }
}
