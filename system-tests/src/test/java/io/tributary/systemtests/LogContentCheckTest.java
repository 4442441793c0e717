package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checker the system tests rely on must itself catch what it claims to: gaps, duplicates, records at
 * another offset than acknowledged, changed content, and acknowledged records never read. No cluster needed.
 */
class LogContentCheckTest {

    private static final long BASE = 1_000L;
    private static final int BYTES = 40;

    @Test
    void acceptsAnExactRead() {
        AckLedger ledger = ackedInOrder(3);
        LogContentCheck check = check(ledger);
        for (int i = 0; i < 3; i++) {
            check.accept(asRead(NumberedRecord.of("s", i, BASE, BYTES), i));
        }
        assertDoesNotThrow(() -> check.assertComplete(Map.of(0, 3L)));
    }

    @Test
    void reportsAGapInOffsets() {
        AckLedger ledger = ackedInOrder(3);
        LogContentCheck check = check(ledger);
        check.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        check.accept(asRead(NumberedRecord.of("s", 2, BASE, BYTES), 2));
        AssertionError e = assertThrows(AssertionError.class, () -> check.assertComplete(Map.of(0, 3L)));
        assertTrue(e.getMessage().contains("expected offset 1 next but read 2"), e.getMessage());
        assertTrue(e.getMessage().contains("s:1"), "the missing record must be named: " + e.getMessage());
    }

    @Test
    void reportsChangedContent() {
        AckLedger ledger = ackedInOrder(1);
        LogContentCheck check = check(ledger);
        NumberedRecord r = NumberedRecord.of("s", 0, BASE, BYTES);
        check.accept(new ConsumedRecord(0, 0, r.key(), r.value(), r.timestamp() + 1, r.headers()));
        AssertionError e = assertThrows(AssertionError.class, () -> check.assertComplete(Map.of(0, 1L)));
        assertTrue(e.getMessage().contains("timestamp"), e.getMessage());
    }

    @Test
    void reportsARecordAtAnotherOffsetThanAcknowledgedAndADuplicate() {
        AckLedger ledger = ackedInOrder(2);
        LogContentCheck check = check(ledger);
        check.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        check.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 1));
        AssertionError e = assertThrows(AssertionError.class, () -> check.assertComplete(Map.of(0, 2L)));
        assertTrue(e.getMessage().contains("duplicate of s:0"), e.getMessage());
        assertTrue(e.getMessage().contains("but acknowledged at 0/0"), e.getMessage());
    }

    @Test
    void aRecordWhoseSendFailedMayBeThereOnceButARecordNeverSentMayNot() {
        AckLedger ledger = new AckLedger("s", 4);
        ledger.acked(0, 0, 0);
        ledger.fail(1, "timed out");
        ledger.acked(2, 0, 2);
        LogContentCheck check = check(ledger);
        check.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        check.accept(asRead(NumberedRecord.of("s", 1, BASE, BYTES), 1));
        check.accept(asRead(NumberedRecord.of("s", 2, BASE, BYTES), 2));
        assertDoesNotThrow(() -> check.assertComplete(Map.of(0, 3L)));
        assertEquals(1, check.unacknowledgedRead());

        LogContentCheck withUnsent = check(ledger);
        withUnsent.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        withUnsent.accept(asRead(NumberedRecord.of("s", 3, BASE, BYTES), 1));
        withUnsent.accept(asRead(NumberedRecord.of("s", 2, BASE, BYTES), 2));
        AssertionError e = assertThrows(AssertionError.class, () -> withUnsent.assertComplete(Map.of(0, 3L)));
        assertTrue(e.getMessage().contains("s:3 read at 0/1 but it was neither acknowledged nor failed"), e.getMessage());

        LogContentCheck twice = check(ledger);
        twice.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        twice.accept(asRead(NumberedRecord.of("s", 1, BASE, BYTES), 1));
        twice.accept(asRead(NumberedRecord.of("s", 1, BASE, BYTES), 2));
        twice.accept(asRead(NumberedRecord.of("s", 2, BASE, BYTES), 3));
        assertThrows(AssertionError.class, () -> twice.assertComplete(Map.of(0, 4L)));
        assertEquals(1, twice.duplicates());
    }

    @Test
    void countsLostRecordsAndToleratesThemOnlyForSourcesAllowedToLose() {
        AckLedger strict = ackedInOrder(2);
        AckLedger lossy = new AckLedger("z", 2);
        lossy.acked(0, 0, 2);
        lossy.acked(1, 0, 3);
        LogContentCheck check = new LogContentCheck("test reader", Map.of("s", strict, "z", lossy), 1, BASE, BYTES).allowLoss("z");
        check.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        check.accept(asRead(NumberedRecord.of("s", 1, BASE, BYTES), 1));
        check.accept(asRead(NumberedRecord.of("z", 0, BASE, BYTES), 2));
        assertDoesNotThrow(() -> check.assertComplete(Map.of(0, 3L)));
        assertEquals(0, check.lost());
        assertEquals(1, check.lostAllowed());

        LogContentCheck missingStrict = new LogContentCheck("test reader", Map.of("s", strict, "z", lossy), 1, BASE, BYTES).allowLoss("z");
        missingStrict.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        AssertionError e = assertThrows(AssertionError.class, () -> missingStrict.assertComplete(Map.of(0, 1L)));
        assertTrue(e.getMessage().contains("acknowledged record s:1 (at 0/1) was not read"), e.getMessage());
        assertEquals(1, missingStrict.lost());

        LogContentCheck misplacedLossy = new LogContentCheck("test reader", Map.of("s", strict, "z", lossy), 1, BASE, BYTES).allowLoss("z");
        misplacedLossy.accept(asRead(NumberedRecord.of("s", 0, BASE, BYTES), 0));
        misplacedLossy.accept(asRead(NumberedRecord.of("s", 1, BASE, BYTES), 1));
        misplacedLossy.accept(asRead(NumberedRecord.of("z", 1, BASE, BYTES), 2));
        assertThrows(AssertionError.class, () -> misplacedLossy.assertComplete(Map.of(0, 3L)),
                "a lossy source's record that is there must still be where it was acknowledged");
        assertEquals(1, misplacedLossy.misplaced());
    }

    private static AckLedger ackedInOrder(int n) {
        AckLedger ledger = new AckLedger("s", n);
        for (int i = 0; i < n; i++) {
            ledger.acked(i, 0, i);
        }
        return ledger;
    }

    private static LogContentCheck check(AckLedger ledger) {
        return new LogContentCheck("test reader", Map.of("s", ledger), 1, BASE, BYTES);
    }

    private static ConsumedRecord asRead(NumberedRecord r, long offset) {
        return new ConsumedRecord(0, offset, r.key(), r.value(), r.timestamp(), r.headers());
    }
}
