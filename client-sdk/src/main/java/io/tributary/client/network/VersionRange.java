package io.tributary.client.network;

/** An inclusive range of versions of one API. */
public record VersionRange(short min, short max) {
    public VersionRange {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
    }

    public static VersionRange of(int min, int max) {
        return new VersionRange((short) min, (short) max);
    }

    public boolean contains(short version) {
        return version >= min && version <= max;
    }
}
