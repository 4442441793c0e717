package io.tributary.zk.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZooKeeperLauncherTest {

    private static final String RESOURCES = "/io/tributary/zk/";

    private static String template(String name) throws IOException {
        try (InputStream in = ZooKeeperLauncherTest.class.getResourceAsStream(RESOURCES + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void standaloneTemplateParsesAsStandalone(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, template("zoo-standalone.cfg").replace("@DATA_DIR@", dir.resolve("data").toString()));
        ZooKeeperConfigFile file = ZooKeeperConfigFile.read(cfg);
        assertFalse(file.isEnsemble());
        assertEquals(dir.resolve("data").toString(), file.dataDir());
        String text = Files.readString(cfg);
        assertTrue(text.contains("admin.enableServer=false"));
        assertTrue(text.contains("4lw.commands.whitelist=srvr,ruok,stat"));
        assertTrue(text.contains("clientPort=2181"));
    }

    @Test
    void ensembleTemplateHasThreeServersOnLocalhost(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, template("zoo-ensemble.cfg").replace("@DATA_DIR@", dir.toString()));
        ZooKeeperConfigFile file = ZooKeeperConfigFile.read(cfg);
        assertTrue(file.isEnsemble());
        assertEquals(List.of(1, 2, 3), List.copyOf(file.servers().keySet()));
        assertEquals("localhost:2888:3888;2181", file.servers().get(1));
        assertEquals("localhost:2890:3890;2183", file.servers().get(3));
        assertTrue(template("zoo-ensemble.cfg").contains("myid"));
    }

    @Test
    void missingOrUntemplatedFilesAreNamed(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.cfg");
        var e = assertThrows(IllegalArgumentException.class, () -> ZooKeeperConfigFile.read(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()) && e.getMessage().contains("does not exist"), e.getMessage());

        Path raw = dir.resolve("raw.cfg");
        Files.writeString(raw, template("zoo-standalone.cfg"));
        e = assertThrows(IllegalArgumentException.class, () -> ZooKeeperConfigFile.read(raw));
        assertTrue(e.getMessage().contains("@DATA_DIR@"), e.getMessage());

        Path noPort = dir.resolve("noport.cfg");
        Files.writeString(noPort, "dataDir=" + dir + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> ZooKeeperConfigFile.read(noPort));
        assertTrue(e.getMessage().contains("clientPort"), e.getMessage());
    }

    @Test
    void launcherExitsWithAClearMessageForAMissingFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("absent.cfg");
        Process process = launcher(missing, dir.resolve("launcher.log"));
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit");
        assertEquals(ZooKeeperLauncher.EXIT_BAD_CONFIG, process.exitValue());
        String output = Files.readString(dir.resolve("launcher.log"));
        assertTrue(output.contains(missing.toAbsolutePath() + " does not exist"), output);
    }

    @Test
    void launcherRunsARealStandaloneServerInItsOwnProcess(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, template("zoo-standalone.cfg")
                .replace("@DATA_DIR@", dir.resolve("data").toString())
                .replace("clientPort=2181", "clientPort=" + port));
        Process process = launcher(cfg, dir.resolve("zk.log"));
        try {
            int clientPort = port;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "imok".equals(fourLetterWord(clientPort, "ruok")));
            // ruok answers as soon as the port is open; srvr reports the mode once the server is serving.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fourLetterWord(clientPort, "srvr").contains("Mode: standalone"));
            assertTrue(Files.isDirectory(dir.resolve("data").resolve("version-2")), "ZooKeeper wrote its data dir");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Process launcher(Path cfg, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ZooKeeperLauncher.class.getName(), cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String fourLetterWord(int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
