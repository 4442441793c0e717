package io.tributary.cli;

import io.tributary.client.common.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EscapesAndErrorsTest {

    @Test
    void unescapesWhatOperatorsType() {
        assertEquals("a\tb\nc\\d", Escapes.unescape("a\\tb\\nc\\\\d"));
        assertEquals("\\x:", Escapes.unescape("\\x:"));
        assertEquals("trailing\\", Escapes.unescape("trailing\\"));
    }

    @Test
    void errorsAreUnwrappedToTheBrokersError() {
        ApiException api = new ApiException(Errors.TOPIC_ALREADY_EXISTS, "Topic 'demo' already exists");
        Throwable wrapped = new CompletionException(new ExecutionException(api));
        assertEquals("TOPIC_ALREADY_EXISTS: Topic 'demo' already exists", CliErrors.message(wrapped));
    }

    @Test
    void stackTraceOnlyWhenVerbose() {
        IllegalStateException error = new IllegalStateException("broken");
        StringWriter quiet = new StringWriter();
        CliErrors.print(new PrintWriter(quiet), error, false);
        assertEquals("Error: broken" + System.lineSeparator(), quiet.toString());

        StringWriter verbose = new StringWriter();
        CliErrors.print(new PrintWriter(verbose), error, true);
        assertTrue(verbose.toString().startsWith("Error: broken" + System.lineSeparator() + "java.lang.IllegalStateException: broken"),
                verbose.toString());
    }

    @Test
    void messageFallsBackToTheExceptionType() {
        assertEquals("NullPointerException", CliErrors.message(new NullPointerException()));
    }
}
