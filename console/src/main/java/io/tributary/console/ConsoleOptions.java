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
        return new ConsoleOptions(bootstrap, port, host);
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
