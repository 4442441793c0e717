/**
 * Partition log storage: Kafka's segmented log, one directory per replica.
 *
 * <h2>Layout</h2>
 * {@code <log.dir>/<topic>-<partition>/} holds {@code <20-digit baseOffset>.log} (v2 record batches exactly
 * as producers sent them), {@code .index} (8-byte entries: relative base offset, file position; one per
 * {@code index.interval.bytes}) and {@code .timeindex} (12-byte entries: max timestamp so far, relative
 * offset of its batch), plus {@code leader-epoch-checkpoint}, {@code recovery-point-checkpoint} and, only while
 * the log is closed after a clean close, {@code clean-shutdown}. Each log dir has a {@code .lock}.
 *
 * <h2>Choices</h2>
 * <ul>
 * <li>Write path: batch-level validation only (magic, CRC, size, count); compressed batches are never
 *     decompressed. Offsets and leader epoch are rewritten in place (fields outside the CRC); the request
 *     buffer is written with one write; index entries of a request are written with one write each.</li>
 * <li>Index entries hold batch BASE offsets; a lookup lands at or before the batch holding the target and
 *     scans at most index.interval.bytes of 61-byte headers.</li>
 * <li>Recovery point: the offset below which the log is known to be fsynced, advanced by every flush and by
 *     every roll (which fsyncs the sealed segment synchronously, so every segment but the active one is always
 *     on disk), lowered by truncation before the truncated range is written again. Kept per partition in its
 *     own directory (Kafka keeps one file per log dir) so a partition directory describes itself and one
 *     partition's checkpoint never rewrites another's; written like every checkpoint here: tmp file, fsync,
 *     rename, directory fsync. A stored value may lag (that only costs a longer scan) but never lead.</li>
 * <li>Clean-shutdown marker: written per partition by a close that flushed everything, removed with a
 *     directory fsync when the log opens, before any write: a marker that a power loss brought back would
 *     make the next start trust an unflushed tail. Per partition rather than per log dir (Kafka's
 *     {@code .kafka_cleanshutdown}): each log closes on its own, so a shutdown cut short (a timeout, a kill
 *     after most logs were closed) still leaves the logs that did close fast to reopen.</li>
 * <li>Clean start (marker present, {@code LogLoader}): no CRC is read. Each segment's
 *     indexes are kept when they are whole entries, their positions lie inside the file and increase, the
 *     last offset entry names a real batch and the time index names no offset past the end; the batch
 *     headers after the last index entry must end exactly at the file's end. A segment failing any of these
 *     is recovered as below.</li>
 * <li>Unclean start (no marker): segments that end at or below the recovery point are loaded as in a clean
 *     start; every later segment, and always the last one, has every batch checked (sizes, v2, increasing
 *     offsets, CRC), its indexes rebuilt, the file cut at the first bad batch and the segments after it
 *     deleted (they are no more durable; replication fetches them again). The recovery point then stays
 *     where it was: recovered bytes may sit in the page cache only, until the next flush or roll.
 *     Either path logs at INFO which one it took and how long it took.</li>
 * <li>Deletion goes by log object ({@code LogManager.delete(PartitionLog)}), never by name or path: a late
 *     delete of a replaced topic's log must not hit the new log that now has the same name and directory.
 *     A deleted log is not flushed or marked first.</li>
 * <li>Reads are lock-free: volatile segment array and end offset, published after the bytes are written.
 *     A read returns whole batches of ONE segment as a {@code FileRecords} slice.</li>
 * <li>Deleted segments are unlinked at once but their channels stay open for 60 s (Kafka's
 *     file.delete.delay.ms) so in-flight slices stay readable; they are closed on a later retention run.</li>
 * <li>segment.ms counts from the first batch's max timestamp (KIP-33, as Kafka); retention.ms compares the
 *     segment's newest timestamp; retention never deletes the active segment or data at or above the high
 *     watermark passed in.</li>
 * <li>Truncation removes whole batches: truncateTo(o) inside a batch leaves the log end at that batch's
 *     base offset.</li>
 * <li>Compaction ({@code cleanup.policy=compact}, {@link io.tributary.broker.log.LogCleaner}): closed segments
 *     below the high watermark are rewritten off to the side ({@code .cleaned}) keeping the latest record per
 *     key at its offset, and swapped in by renames under the log's lock ({@code .swap}, {@code .deleted});
 *     {@code LogLoader} finishes or discards a swap a crash cut short. Where each log was cleaned to is in
 *     {@code cleaner-offset-checkpoint} per log dir. Followers accept offset gaps and batches with fewer
 *     records than offsets (or none), which a cleaned leader serves.</li>
 * </ul>
 */
package io.tributary.broker.log;
