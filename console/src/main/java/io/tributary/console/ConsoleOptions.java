package io.tributary.console;

/**
 * The console's command line: {@code --bootstrap-server host:port[,host:port...]} (default localhost:9092) and
 * {@code --port} (default 8080; 0 picks a free port).
 */
public record ConsoleOptions(String bootstrapServers, int port, String host) {
    public static final String USAGE = "usage: console [--bootstrap-server host:port[,host:port...]] [--port 8080] [--host localhost]";

    public static ConsoleOptions parse(String... args) {
        String bootstrap = "localhost:9092";
        int port = 8080;
        String host = "localhost";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--bootstrap-server" -> bootstrap = value(args, ++i, arg);
                case "--port" -> port = port(value(args, ++i, arg));
                case "--host" -> host = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        return new ConsoleOptions(bootstrapServers(bootstrap), port, host);
    }

    /** Each entry host:port with a port 1-65535: checked here so that a typo is a usage error, not a stack trace. */
    static String bootstrapServers(String value) {
        for (String entry : value.split(",", -1)) {
            int colon = entry.trim().lastIndexOf(':');
            String host = colon < 0 ? "" : entry.trim().substring(0, colon);
            String port = colon < 0 ? "" : entry.trim().substring(colon + 1);
            boolean valid = !host.isEmpty() && port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
            if (!valid) {
                throw new IllegalArgumentException("--bootstrap-server must be host:port[,host:port...], not '" + value + "'");
            }
        }
        return value;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a port number 0-65535 (0 = any free port), not '" + value + "'");
        }
    }
}
