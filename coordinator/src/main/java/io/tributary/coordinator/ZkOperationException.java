package io.tributary.coordinator;

/**
 * A ZooKeeper operation failed for a reason other than the ones an API documents (connection loss
 * after Curator's retries, interruption, unexpected KeeperException). The message names the operation
 * and the znode.
 */
public class ZkOperationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ZkOperationException(String message, Throwable cause) {
        super(message + ": " + describe(cause), cause);
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable cause) {
        return cause == null ? "" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }
}
