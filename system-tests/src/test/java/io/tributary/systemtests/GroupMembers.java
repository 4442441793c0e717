package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Consumer-group members as separate processes ({@link GroupMemberMain}), read back from what they printed: each
 * one's latest assignment and every record it processed. {@link #kill} is a real kill -9; {@link #close} stops the
 * survivors cleanly (they commit and leave) and kills any that do not stop.
 */
final class GroupMembers implements AutoCloseable {

    /** One processed record: who processed it, where it was, what it said. */
    record Processed(int member, int partition, long offset, String value) {
    }

    private record Member(String kind, Process process, Path out, Path err) {
    }

    private final Path dir;
    private final String bootstrap;
    private final String group;
    private final String topic;
    private final String assignor;
    private final List<String> settings;
    private final Path stopFile;
    private final List<Member> members = new ArrayList<>();

    GroupMembers(Path dir, String bootstrap, String group, String topic, String assignor, String... settings) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.group = group;
        this.topic = topic;
        this.assignor = assignor;
        this.settings = List.of(settings);
        this.stopFile = dir.resolve("stop-" + group);
    }

    /** Starts a member: {@code sdk} (client-sdk) or {@code official} (KafkaConsumer); returns its index. */
    int start(String kind) {
        int index = members.size();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), GroupMemberMain.class.getName(),
                kind, bootstrap, group, topic, assignor, stopFile.toString()));
        command.addAll(settings);
        Path out = dir.resolve(group + "-member-" + index + ".out");
        Path err = dir.resolve(group + "-member-" + index + ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            members.add(new Member(kind, process, out, err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start group member " + command, e);
        }
        return index;
    }

    int size() {
        return members.size();
    }

    /** kill -9: no commit, no LeaveGroup; the coordinator only notices when the session times out. */
    void kill(int member) throws InterruptedException {
        Process p = members.get(member).process();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive(int member) {
        return members.get(member).process().isAlive();
    }

    /** The member's partitions as it last printed them; null before its first assignment. */
    Set<Integer> assignment(int member) {
        Set<Integer> latest = null;
        for (String line : lines(member)) {
            if (line.startsWith("ASSIGNMENT")) {
                latest = new TreeSet<>();
                String list = line.substring("ASSIGNMENT".length()).trim();
                if (!list.isEmpty()) {
                    for (String p : list.split(",")) {
                        latest.add(Integer.parseInt(p));
                    }
                }
            }
        }
        return latest;
    }

    /** Latest assignment of every live member, once each has one: disjoint, covering 0..partitions-1. */
    Map<Integer, Set<Integer>> awaitSteadyAssignment(int partitions, Duration atMost) {
        Map<Integer, Set<Integer>> result = new HashMap<>();
        await("group " + group + ": every live member has an assignment, disjoint and covering " + partitions + " partitions; "
                + "now " + describe()).atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            result.clear();
            Set<Integer> union = new TreeSet<>();
            int total = 0;
            for (int m = 0; m < members.size(); m++) {
                if (!isAlive(m)) {
                    continue;
                }
                Set<Integer> a = assignment(m);
                if (a == null) {
                    return false;
                }
                result.put(m, a);
                union.addAll(a);
                total += a.size();
            }
            return total == partitions && union.size() == partitions && union.equals(range(partitions));
        });
        return result;
    }

    /** Every record any member processed, in the order each printed them. */
    List<Processed> processed() {
        List<Processed> all = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            for (String line : lines(m)) {
                if (line.startsWith("RECORD ")) {
                    String[] f = line.split(" ", 4);
                    if (f.length == 4) { // a kill -9 can cut the last line short
                        all.add(new Processed(m, Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
                    }
                }
            }
        }
        return all;
    }

    String describe() {
        StringBuilder s = new StringBuilder();
        for (int m = 0; m < members.size(); m++) {
            s.append("\n  member ").append(m).append(" (").append(members.get(m).kind()).append(isAlive(m) ? ", alive" : ", gone")
                    .append("): ").append(assignment(m));
        }
        return s.toString();
    }

    String errors(int member) {
        try {
            String err = Files.readString(members.get(member).err(), StandardCharsets.UTF_8);
            return err.length() > 4000 ? err.substring(err.length() - 4000) : err;
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    private List<String> lines(int member) {
        try {
            return Files.readAllLines(members.get(member).out(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Integer> range(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Files.writeString(stopFile, "stop");
        for (Member m : members) {
            if (!m.process().waitFor(60, TimeUnit.SECONDS)) {
                m.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
