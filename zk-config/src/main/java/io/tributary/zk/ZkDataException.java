package io.tributary.zk;

/** A znode held data that does not parse as the record type expected at that path, or a record failed to serialize. */
public class ZkDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ZkDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
