package io.tributary.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** What every tool needs to reach the cluster, with the flag names of Kafka's tools. */
final class ConnectionOptions {

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Brokers to bootstrap from; any live one will do.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file with extra client configuration, e.g. request.timeout.ms=5000.")
    Path commandConfig;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    /**
     * Client properties: those of --command-config, then --bootstrap-server, then the tool's own
     * settings (later ones win).
     */
    Properties clientProperties(Map<String, String> toolSettings) {
        Properties props = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
            }
        }
        props.setProperty("bootstrap.servers", bootstrapServer);
        props.putAll(toolSettings);
        return props;
    }
}
