package io.tributary.zk;

/** ZooKeeper could not be reached within the connection timeout; a broker exits with this message. */
public class ZkUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ZkUnreachableException(String message) {
        super(message);
    }
}
