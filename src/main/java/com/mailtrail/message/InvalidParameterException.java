package com.mailtrail.message;

/** A request parameter that cannot be used as given; the message says which one and what it should look like. */
public class InvalidParameterException extends RuntimeException {

    public InvalidParameterException(String message) {
        super(message);
    }
}
