package com.mailtrail.message;

/**
 * A request parameter that cannot be used as given; the message says which one and what it should look like. An
 * IllegalArgumentException so that the dashboard's and connections' handlers answer it as their own bad parameters.
 */
public class InvalidParameterException extends IllegalArgumentException {

    public InvalidParameterException(String message) {
        super(message);
    }
}
