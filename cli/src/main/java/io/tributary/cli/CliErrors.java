package io.tributary.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a failure into what an operator reads: {@code Error: <message>} on stderr, and the stack
 * trace only with {@code --verbose}. Futures wrap the real error; it is unwrapped so the message
 * names the broker's error (e.g. TOPIC_ALREADY_EXISTS) rather than a wrapper class.
 */
final class CliErrors {

    private CliErrors() {
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String message(Throwable error) {
        Throwable t = unwrap(error);
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static void print(PrintWriter err, Throwable error, boolean verbose) {
        err.println("Error: " + message(error));
        if (verbose) {
            unwrap(error).printStackTrace(err);
        }
        err.flush();
    }
}
