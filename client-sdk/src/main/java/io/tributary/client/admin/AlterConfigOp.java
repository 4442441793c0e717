package io.tributary.client.admin;

import java.util.Objects;

/**
 * One change of an IncrementalAlterConfigs request.
 *
 * @param value the new value for SET, the items to add or remove for APPEND/SUBTRACT; ignored for DELETE
 */
public record AlterConfigOp(String name, OpType op, String value) {

    /** Kafka's operation codes, in wire order. */
    public enum OpType { SET, DELETE, APPEND, SUBTRACT }

    public AlterConfigOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
    }

    public static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(name, OpType.SET, value);
    }

    public static AlterConfigOp delete(String name) {
        return new AlterConfigOp(name, OpType.DELETE, null);
    }
}
