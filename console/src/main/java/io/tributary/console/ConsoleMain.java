package io.tributary.console;

import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/console}: starts the console in the foreground and prints its URL; Ctrl-C (SIGTERM) stops it.
 * Exit code 2 for bad arguments, 1 when the port cannot be bound.
 */
public final class ConsoleMain {

    private ConsoleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConsoleOptions options;
        try {
            options = ConsoleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Console console;
        try {
            console = Console.start(options);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            System.err.println("Error: the console " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Console: http://" + options.host() + ":" + console.port() + "  (cluster " + options.bootstrapServers()
                + "; Ctrl-C stops it)");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "console-shutdown"));
        stopped.await();
    }
}
