package io.hookgate.toloka;

/**
 * A Toloka request body that is not {@code {"events":[{...}, ...]}} with routable events inside.
 * The message says what is wrong in terms of the shape, never quoting the body.
 */
public final class MalformedBatchException extends Exception {

    public MalformedBatchException(String message) {
        super(message, null, false, false); // cheap: thrown for garbage input, no stack trace needed
    }
}
