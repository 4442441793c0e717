package io.tributary.zk.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The few facts about a zoo.cfg the launcher needs before handing the file to ZooKeeper itself,
 * checked early so a mistake is reported in one clear line rather than a ZooKeeper stack trace.
 *
 * @param servers the server.N lines (N -> value); empty for a standalone server
 */
public record ZooKeeperConfigFile(Path path, String dataDir, SortedMap<Integer, String> servers) {

    private static final String SERVER_PREFIX = "server.";
    private static final String UNTEMPLATED = "@DATA_DIR@";

    /** An ensemble has server.N lines; without them ZooKeeper runs standalone. */
    public boolean isEnsemble() {
        return !servers.isEmpty();
    }

    /** Reads and checks the file; IllegalArgumentException names the file and what is wrong. */
    public static ZooKeeperConfigFile read(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath() + " is not a readable file");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ZooKeeper config file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        String dataDir = props.getProperty("dataDir", "").trim();
        if (dataDir.isEmpty()) {
            throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath() + " has no dataDir");
        }
        if (dataDir.contains(UNTEMPLATED)) {
            throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath()
                    + " still has the template placeholder " + UNTEMPLATED + " in dataDir; replace it with a directory");
        }
        SortedMap<Integer, String> servers = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(SERVER_PREFIX)) {
                String id = key.substring(SERVER_PREFIX.length());
                try {
                    servers.put(Integer.parseInt(id), props.getProperty(key).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath()
                            + " has a server line with a non-numeric id: " + key, e);
                }
            }
        }
        if (servers.isEmpty() && props.getProperty("clientPort") == null) {
            throw new IllegalArgumentException("ZooKeeper config file " + path.toAbsolutePath()
                    + " has neither clientPort nor server.N lines");
        }
        return new ZooKeeperConfigFile(path, dataDir, servers);
    }
}
