package io.tributary.cli.demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryLedgerTest {

    @Test
    void anAcknowledgedRecordNeverReadIsLost() {
        DeliveryLedger ledger = new DeliveryLedger();
        for (int i = 0; i < 5; i++) {
            ledger.nextSent();
        }
        ledger.acked(0);
        ledger.acked(1);
        ledger.acked(2);
        ledger.failed(3);
        ledger.consumed(0);
        ledger.consumed(2);
        assertFalse(ledger.allAckedConsumed());
        DeliveryLedger.Summary s = ledger.summary();
        assertEquals(5, s.sent());
        assertEquals(3, s.acknowledged());
        assertEquals(1, s.failed());
        assertEquals(1, s.unresolved());
        assertEquals(2, s.consumed());
        assertEquals(1, s.lost());
        assertEquals(1, s.firstLost());

        ledger.consumed(1);
        assertTrue(ledger.allAckedConsumed());
        assertEquals(0, ledger.summary().lost());
        assertEquals(-1, ledger.summary().firstLost());
    }

    @Test
    void duplicatesUnacknowledgedWritesAndForeignRecordsAreCountedApart() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.nextSent();
        ledger.nextSent();
        ledger.acked(0);
        ledger.consumed(0);
        ledger.consumed(0);       // read twice
        ledger.consumed(1);       // written although its send has not reported success
        ledger.consumed(7);       // never sent by this run
        DeliveryLedger.Summary s = ledger.summary();
        assertEquals(2, s.consumed());
        assertEquals(1, s.duplicates());
        assertEquals(1, s.consumedUnacknowledged());
        assertEquals(1, s.foreign());
        assertEquals(0, s.lost());
    }
}
