package io.tributary.broker.log;

import java.nio.file.Path;

/**
 * Where a read's bytes lie in a segment file, for zero-copy sends ({@code NetSocket.sendFile(path, position, length)}).
 * The path can vanish if retention deletes the segment meanwhile; the {@link LogReadResult#records()} slice
 * stays readable then because it holds the still-open channel, so fall back to it on a missing file.
 */
public record FileRegion(Path file, long position, int length) {
}
