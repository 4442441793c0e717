/**
 * Partition log storage: Kafka's segmented log, one directory per replica.
 *
 * <h2>Layout</h2>
 * {@code <log.dir>/<topic>-<partition>/} holds {@code <20-digit baseOffset>.log} (v2 record batches exactly
 * as producers sent them), {@code .index} (8-byte entries: relative base offset, file position; one per
 * {@code index.interval.bytes}) and {@code .timeindex} (12-byte entries: max timestamp so far, relative
 * offset of its batch), plus {@code leader-epoch-checkpoint}. Each log dir has a {@code .lock}.
 *
 * <h2>Choices</h2>
 * <ul>
 * <li>Write path: batch-level validation only (magic, CRC, size, count); compressed batches are never
 *     decompressed. Offsets and leader epoch are rewritten in place (fields outside the CRC); the request
 *     buffer is written with one write; index entries of a request are written with one write each.</li>
 * <li>Index entries hold batch BASE offsets; a lookup lands at or before the batch holding the target and
 *     scans at most index.interval.bytes of 61-byte headers.</li>
 * <li>Start-up: the last segment is always rescanned with CRC checks and its indexes rebuilt (Kafka does
 *     this only after an unclean shutdown); a torn or corrupt tail is truncated. Sealed segments trust their
 *     indexes when the last entry names a real batch, else they are rebuilt from batch headers.</li>
 * <li>Reads are lock-free: volatile segment array and end offset, published after the bytes are written.
 *     A read returns whole batches of ONE segment as a {@code FileRecords} slice.</li>
 * <li>Deleted segments are unlinked at once but their channels stay open for 60 s (Kafka's
 *     file.delete.delay.ms) so in-flight slices stay readable; they are closed on a later retention run.</li>
 * <li>segment.ms counts from the first batch's max timestamp (KIP-33, as Kafka); retention.ms compares the
 *     segment's newest timestamp; retention never deletes the active segment or data at or above the high
 *     watermark passed in.</li>
 * <li>Truncation removes whole batches: truncateTo(o) inside a batch leaves the log end at that batch's
 *     base offset.</li>
 * </ul>
 */
package io.tributary.broker.log;
