package io.tributary.zk.server;

import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Runs the real ZooKeeper server (from the zookeeper artifact) as its own process:
 * {@code java -cp ... io.tributary.zk.server.ZooKeeperLauncher <zoo.cfg>}. A file without server.N
 * lines runs one standalone server; with them, this process is the ensemble member named by
 * {@code dataDir/myid}.
 */
public final class ZooKeeperLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLauncher.class);

    /** Exit status for a bad command line or config file, as distinct from ZooKeeper's own failures. */
    static final int EXIT_BAD_CONFIG = 2;

    private ZooKeeperLauncher() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            fail("usage: ZooKeeperLauncher <path to zoo.cfg>, got " + args.length + " arguments");
            return;
        }
        ZooKeeperConfigFile config;
        try {
            config = ZooKeeperConfigFile.read(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        String file = config.path().toAbsolutePath().toString();
        if (config.isEnsemble()) {
            LOG.info("starting ZooKeeper ensemble member from {} (servers {})", file, config.servers().keySet());
            QuorumPeerMain.main(new String[] {file});
        } else {
            LOG.info("starting standalone ZooKeeper from {} with dataDir {}", file, config.dataDir());
            ZooKeeperServerMain.main(new String[] {file});
        }
    }

    private static void fail(String message) {
        // This is a process entry point: the operator must see why it stopped even without a log config.
        LOG.error(message);
        System.err.println("ZooKeeperLauncher: " + message);
        System.exit(EXIT_BAD_CONFIG);
    }
}
