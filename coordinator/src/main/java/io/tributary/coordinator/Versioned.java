package io.tributary.coordinator;

import java.util.Objects;

/**
 * A value read from a znode together with the znode's data version, the token for a later
 * compare-and-set ({@code setData().withVersion(zkVersion)}). A successful setData makes the
 * version {@code zkVersion + 1}.
 */
public record Versioned<T>(T value, int zkVersion) {

    public Versioned {
        Objects.requireNonNull(value, "value");
    }
}
