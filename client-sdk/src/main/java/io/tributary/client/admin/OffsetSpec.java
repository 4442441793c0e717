package io.tributary.client.admin;

/** Which offset of a partition {@link Admin#listOffsets} asks for, with ListOffsets' special timestamps. */
public enum OffsetSpec {
    /** The log start offset (timestamp -2). */
    EARLIEST(-2L),
    /** The high watermark: the end a READ_UNCOMMITTED consumer can read to (timestamp -1). */
    LATEST(-1L);

    private final long timestamp;

    OffsetSpec(long timestamp) {
        this.timestamp = timestamp;
    }

    long timestamp() {
        return timestamp;
    }
}
