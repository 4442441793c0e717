package io.tributary.client.common;

/**
 * A broker as the cluster metadata describes it. {@code rack} is null when the broker has none.
 * A replica whose broker is not alive is shown with an empty host and port -1, as Kafka's clients do.
 */
public record Node(int id, String host, int port, String rack) {

    /** A broker that the metadata names as a replica but does not list as alive. */
    public static Node unknown(int id) {
        return new Node(id, "", -1, null);
    }

    public String address() {
        return host + ":" + port;
    }
}
