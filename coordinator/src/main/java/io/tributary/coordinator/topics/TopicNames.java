package io.tributary.coordinator.topics;

/** Kafka's topic-name rules, checked before anything is written. */
public final class TopicNames {

    /** Kafka's limit: a partition directory "<topic>-<partition>" must fit in 255 bytes. */
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("topic name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("topic name cannot be '" + name + "'");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTopicException("topic name is " + name.length() + " characters long, more than " + MAX_LENGTH
                    + ": '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw new InvalidTopicException("topic name '" + name + "' has the illegal character '" + c
                        + "'; allowed are ASCII letters, digits, '.', '_' and '-'");
            }
        }
    }

    /**
     * Kafka's metric names replace '.' with '_', so "a.b" and "a_b" would share metrics: such
     * topics collide and only one may exist.
     */
    public static boolean collide(String a, String b) {
        return !a.equals(b) && metricName(a).equals(metricName(b));
    }

    private static String metricName(String topic) {
        return topic.replace('.', '_');
    }
}
