package io.tributary.broker.producer;

import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.producerid.ProducerIdAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId for idempotent producers (the Java producer's default since Kafka 3.0). Ids come from
 * blocks reserved in ZooKeeper, so no two brokers ever hand out the same id. Transactions are not
 * implemented: a transactional id is refused. Sequence checks arrive with replication.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {

    private static final Logger log = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final int brokerId;
    private final ProducerIdAllocator allocator;
    private final Executor zkPool;

    public InitProducerIdHandler(int brokerId, ProducerIdAllocator allocator, Executor zkPool) {
        this.brokerId = brokerId;
        this.allocator = allocator;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            log.info("Broker {}: refused InitProducerId for transactional id {} from client {}: transactions are not supported",
                    brokerId, request.transactionalId(), context.clientId());
            return CompletableFuture.completedFuture(error(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        // A producer asking to bump its epoch (KIP-360) gets a fresh id instead: epochs are not tracked
        // yet, and a new id is always a valid answer. A ZooKeeper hiccup is answered with a retriable
        // code; the Java producer treats UNKNOWN_SERVER_ERROR here as fatal.
        return CompletableFuture.<ApiMessage>supplyAsync(() -> new InitProducerIdResponseData()
                .setProducerId(allocator.nextProducerId())
                .setProducerEpoch((short) 0), zkPool)
                .exceptionally(failure -> {
                    log.warn("Broker {}: could not allocate a producer id for client {}; asking it to retry",
                            brokerId, context.clientId(), failure);
                    return error(Errors.COORDINATOR_LOAD_IN_PROGRESS);
                });
    }

    private static ApiMessage error(Errors error) {
        return new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
