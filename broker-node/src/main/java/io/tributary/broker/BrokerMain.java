package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.BrokerConfigException;
import io.tributary.broker.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker process: {@code BrokerMain [--config FILE] [--override key=value]...}. Exits with status 2
 * and a message naming the problem when the settings are bad or the broker cannot start; runs a
 * controlled shutdown on SIGTERM.
 */
public final class BrokerMain {

    private static final Logger log = LoggerFactory.getLogger(BrokerMain.class);

    private BrokerMain() {
    }

    public static void main(String[] args) {
        Properties properties;
        try {
            properties = parseArguments(args);
        } catch (BrokerConfigException e) {
            fail(e.getMessage());
            return;
        }
        if (properties == null) {
            printUsage();
            return;
        }
        BrokerConfig config;
        try {
            config = BrokerConfig.from(properties);
        } catch (BrokerConfigException e) {
            fail(e.getMessage());
            return;
        }
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (Exception e) {
            log.error("Broker {} failed to start", config.brokerId(), e);
            fail("broker " + config.brokerId() + " failed to start: " + describe(e));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-" + config.brokerId() + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns null when the user asked for help. */
    static Properties parseArguments(String[] args) {
        Properties properties = new Properties();
        Properties overrides = new Properties();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--config" -> properties.putAll(load(Path.of(value(args, ++i, arg))));
                case "--override" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new BrokerConfigException("--override needs key=value, got '" + pair + "'");
                    }
                    overrides.setProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
                default -> throw new BrokerConfigException("unknown argument '" + arg
                        + "'; usage: BrokerMain [--config FILE] [--override key=value]...");
            }
        }
        properties.putAll(overrides);
        return properties;
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new BrokerConfigException(flag + " needs a value");
        }
        return args[index];
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new BrokerConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new BrokerConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return properties;
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static void printUsage() {
        StringBuilder usage = new StringBuilder("Usage: broker-start <id> [--config FILE] [--override key=value]...\nSettings:\n");
        for (Setting<?> setting : BrokerConfig.settings()) {
            usage.append(String.format("  %-34s %-26s %s%n", setting.name(),
                    setting.defaultValue() == null ? "(required)" : setting.defaultValue(), setting.doc()));
        }
        System.out.print(usage);
    }

    private static void fail(String message) {
        log.error("{}", message);
        System.err.println("ERROR: " + message);
        System.exit(2);
    }
}
