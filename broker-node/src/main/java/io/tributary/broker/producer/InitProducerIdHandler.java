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
        // KIP-360: a producer that still has an id asks for a bumped epoch instead of a new id.
        if (request.producerId() != RecordBatch.NO_PRODUCER_ID && request.producerEpoch() >= 0
                && request.producerEpoch() < Short.MAX_VALUE - 1) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setProducerId(request.producerId())
                    .setProducerEpoch((short) (request.producerEpoch() + 1)));
        }
        return CompletableFuture.supplyAsync(() -> new InitProducerIdResponseData()
                .setProducerId(allocator.nextProducerId())
                .setProducerEpoch((short) 0), zkPool);
    }

    private static InitProducerIdResponseData error(Errors error) {
        return new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
