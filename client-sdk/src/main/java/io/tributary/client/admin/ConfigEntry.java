package io.tributary.client.admin;

/**
 * One config as a broker describes it.
 *
 * @param source where the value comes from, with Kafka's names: DYNAMIC_TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG,
 *               DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG
 */
public record ConfigEntry(String name, String value, String source, boolean readOnly, boolean sensitive) {

    /** Whether the value was set on the entity itself rather than inherited (what kafka-configs --describe lists). */
    public boolean isOverride(ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> source.equals("DYNAMIC_TOPIC_CONFIG");
            case BROKER -> resource.isBrokerDefault() ? source.equals("DYNAMIC_DEFAULT_BROKER_CONFIG")
                    : source.equals("DYNAMIC_BROKER_CONFIG");
        };
    }
}
