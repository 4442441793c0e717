package io.tributary.coordinator.membership;

/** Another live process holds {@code /brokers/ids/<id>}; the broker must not start. */
public class DuplicateBrokerIdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DuplicateBrokerIdException(String message) {
        super(message);
    }
}
