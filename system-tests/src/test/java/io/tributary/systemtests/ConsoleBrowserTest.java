package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.console.Console;
import io.tributary.console.ConsoleOptions;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real headless browser against three broker processes: the page shows the brokers, and after
 * kill -9 of a partition's leader it shows, without a reload, that broker down and the partition's new leader on the
 * timeline; after the broker's restart, its return to the ISR.
 */
class ConsoleBrowserTest {
    private static final String TOPIC = "console-watch";
    private static final Duration GENEROUS = Duration.ofSeconds(45);

    /** Leaders stay where they are elected: no preferred-leader move may race the kill of a partition's leader. */
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3)
            .brokerSetting("auto.leader.rebalance.enable", "false"));

    @TempDir
    static Path browserProfile;

    private static Console console;
    private static ChromeDriver browser;

    @BeforeAll
    static void startConsoleAndBrowser() {
        console = Console.start(new ConsoleOptions(cluster.get().bootstrap(), 0, "localhost"));
        browser = ConsoleBrowser.start(browserProfile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void aKilledLeaderGoesDownAndItsPartitionsNewLeaderAppearsOnTheTimelineWithoutAReload() throws Exception {
        ClusterProcesses c = cluster.get();
        browser.get("http://localhost:" + console.port() + "/");
        // Set in the page: a reload would lose it.
        browser.executeScript("window.__sameDocument = 'console-browser-test';");

        await("the page shows 3 brokers up").atMost(GENEROUS).pollInterval(Duration.ofMillis(200))
                .until(() -> brokersIn("up").size() == 3);
        assertEquals("3 / 3", browser.executeScript("return document.querySelector('#summary-brokers .v').textContent;"));

        c.admin().createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get();
        c.awaitLeaders(TOPIC, 3);
        c.awaitIsrContains(TOPIC, 3, Set.of(1, 2, 3), GENEROUS);
        int oldLeader = c.awaitLeader(TOPIC, 0);
        String cell = "#partition-map .cell[data-topic='" + TOPIC + "'][data-partition='0']";
        await("the partition map shows " + TOPIC + "-0 led by broker " + oldLeader + " with a full ISR").atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Integer.toString(oldLeader).equals(attribute(cell, "data-leader"))
                        && String.valueOf(attribute(cell, "data-isr")).split(",").length == 3);

        // Only events after the kill count.
        long lastSeqBeforeKill = lastSeq();
        c.kill(oldLeader);

        String brokerRow = "#brokers tr[data-broker='" + oldLeader + "']";
        await("broker " + oldLeader + " shown unreachable or down").atMost(GENEROUS).pollInterval(Duration.ofMillis(100))
                .until(() -> Set.of("unreachable", "down").contains(String.valueOf(attribute(brokerRow, "data-state"))));
        String leaderEvent = "#timeline li[data-kind='leader'][data-topic='" + TOPIC + "'][data-partition='0']";
        await("a leader change of " + TOPIC + "-0 on the timeline").atMost(GENEROUS).pollInterval(Duration.ofMillis(200))
                .until(() -> firstEventAfter(leaderEvent, lastSeqBeforeKill) != null);
        Map<String, String> event = firstEventAfter(leaderEvent, lastSeqBeforeKill);
        int newLeader = Integer.parseInt(event.get("data-broker"));
        assertNotEquals(oldLeader, newLeader);
        assertEquals(Integer.toString(oldLeader), event.get("data-from"));
        String text = event.get("text");
        assertTrue(text.contains(TOPIC + "-0: leader " + oldLeader + " → " + newLeader), text);
        assertTrue(text.matches("(?s).*after \\d+ ms.*"), "the leaderless time is measured: " + text);
        assertTrue(Long.parseLong(event.get("data-duration-ms")) > 0,
                "the clock started when the probe found the leader gone, before the new leader was elected: " + event);
        assertEquals(newLeader, c.awaitLeader(TOPIC, 0), "the page names the leader the cluster has");
        await("the partition map shows " + TOPIC + "-0 led by broker " + newLeader).atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Integer.toString(newLeader).equals(attribute(cell, "data-leader")));
        String shrink = "#timeline li[data-kind='isr-shrink'][data-topic='" + TOPIC + "'][data-partition='0'][data-broker='"
                + oldLeader + "']";
        await("broker " + oldLeader + " out of the ISR of " + TOPIC + "-0 on the timeline").atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200)).until(() -> firstEventAfter(shrink, lastSeqBeforeKill) != null);
        await("broker " + oldLeader + " shown down once its registration is gone").atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200)).until(() -> brokersIn("down").contains(Integer.toString(oldLeader)));
        // The fast path: the probe saw the refused port before ZooKeeper dropped the registration. By the events'
        // order (seq), not by timing.
        String brokerEvent = "#timeline li[data-broker='" + oldLeader + "'][data-kind='%s']";
        Map<String, String> unreachable = firstEventAfter(brokerEvent.formatted("broker-unreachable"), lastSeqBeforeKill);
        Map<String, String> left = firstEventAfter(brokerEvent.formatted("broker-left"), lastSeqBeforeKill);
        assertNotNull(unreachable, "broker " + oldLeader + " was seen unreachable before it left");
        assertNotNull(left, "broker " + oldLeader + " left");
        assertTrue(Long.parseLong(unreachable.get("data-seq")) < Long.parseLong(left.get("data-seq")),
                "unreachable " + unreachable + " before left " + left);

        c.restart(oldLeader);

        String expand = "#timeline li[data-kind='isr-expand'][data-topic='" + TOPIC + "'][data-broker='" + oldLeader + "']";
        await("broker " + oldLeader + " back in the ISR of " + TOPIC + " on the timeline").atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200)).until(() -> firstEventAfter(expand, lastSeqBeforeKill) != null);
        await("3 brokers up again").atMost(GENEROUS).pollInterval(Duration.ofMillis(200))
                .until(() -> brokersIn("up").size() == 3);
        assertEquals("console-browser-test", browser.executeScript("return window.__sameDocument;"),
                "the page was not reloaded: everything above came over the event stream");
    }

    private static long lastSeq() {
        Object seq = browser.executeScript("const e = document.querySelector('#timeline li[data-seq]');"
                + " return e ? Number(e.getAttribute('data-seq')) : 0;");
        return ((Number) seq).longValue();
    }

    /**
     * The oldest timeline entry matching the selector with a sequence number above {@code seq}: its attributes and
     * its text under "text"; null when there is none.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> firstEventAfter(String selector, long seq) {
        return (Map<String, String>) browser.executeScript("""
                const later = Array.from(document.querySelectorAll(arguments[0]))
                    .filter(e => Number(e.getAttribute('data-seq')) > arguments[1]);
                if (!later.length) return null;
                const e = later[later.length - 1];
                const result = { text: e.textContent };
                for (const a of e.attributes) result[a.name] = a.value;
                return result;""", selector, seq);
    }

    /**
     * An attribute of the first element the selector finds, or null; read in one script, because the page
     * re-renders its tables on every snapshot and an element handle from an earlier call would be stale.
     */
    private static String attribute(String selector, String name) {
        return (String) browser.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", selector, name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> brokersIn(String state) {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(e => e.getAttribute('data-broker'));", "#brokers tr[data-broker][data-state='" + state + "']");
    }
}
