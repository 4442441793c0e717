package io.tributary.client.producer;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.record.RecordBatch;

/**
 * InitProducerId for an idempotent producer: no transactional id, and no current id or epoch (the v3+
 * fields of KIP-360 stay -1), so every request asks for a fresh producer id, at any version.
 */
final class InitProducerIdRequests {
    private InitProducerIdRequests() {
    }

    static InitProducerIdRequestData build() {
        return new InitProducerIdRequestData()
                .setTransactionalId(null)
                // Required by the schema but only meaningful with a transactional id.
                .setTransactionTimeoutMs(Integer.MAX_VALUE)
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
