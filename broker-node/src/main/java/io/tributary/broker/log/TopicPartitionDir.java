package io.tributary.broker.log;

import java.util.Optional;

/** A partition replica's directory name, {@code <topic>-<partition>}. */
public record TopicPartitionDir(String topic, int partition) {

    public TopicPartitionDir {
        if (topic == null || topic.isEmpty() || topic.equals(".") || topic.equals("..") || topic.contains("/")
                || topic.contains("\\") || topic.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic name '" + topic + "' cannot name a log directory");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " of topic " + topic + " is negative");
        }
    }

    public String dirName() {
        return topic + "-" + partition;
    }

    /**
     * Parses a directory name. Topic names may contain '-', '.' and '_', so the partition is what follows
     * the LAST '-'. Empty for names that are not partition directories.
     */
    public static Optional<TopicPartitionDir> parse(String dirName) {
        int dash = dirName.lastIndexOf('-');
        if (dash <= 0 || dash == dirName.length() - 1) {
            return Optional.empty();
        }
        String number = dirName.substring(dash + 1);
        for (int i = 0; i < number.length(); i++) {
            if (!Character.isDigit(number.charAt(i))) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new TopicPartitionDir(dirName.substring(0, dash), Integer.parseInt(number)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
