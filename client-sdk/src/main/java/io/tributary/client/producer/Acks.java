package io.tributary.client.producer;

/** The producer's {@code acks} setting, as the wire value of ProduceRequest.acks. */
public enum Acks {
    /** No response; the send is done once it is written to the socket. */
    NONE((short) 0),
    /** The leader has appended the records. */
    LEADER((short) 1),
    /** Every in-sync replica has the records (the high watermark passed them). */
    ALL((short) -1);

    private final short wireValue;

    Acks(short wireValue) {
        this.wireValue = wireValue;
    }

    public short wireValue() {
        return wireValue;
    }

    static Acks parse(String value) {
        return switch (value) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw new IllegalArgumentException(value);
        };
    }
}
