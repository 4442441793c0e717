package io.tributary.broker.config;

/** A broker setting is unknown, missing or has a value the broker cannot use; the message names the key. */
public final class BrokerConfigException extends RuntimeException {
    public BrokerConfigException(String message) {
        super(message);
    }
}
