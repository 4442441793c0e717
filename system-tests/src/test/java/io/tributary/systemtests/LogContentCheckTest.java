package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
