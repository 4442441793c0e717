package io.tributary.client.producer;

/** The identity an idempotent producer stamps on its batches (KIP-98): an id from InitProducerId and its epoch. */
record ProducerIdAndEpoch(long producerId, short epoch) {
    @Override
    public String toString() {
        return "producer id " + producerId + " epoch " + epoch;
    }
}
