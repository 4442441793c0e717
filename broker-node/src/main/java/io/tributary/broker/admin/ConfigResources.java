package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.config.ConfigStore;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/** How config requests name what they address: a topic, a broker by id, or "" for the cluster's broker defaults. */
final class ConfigResources {

    private ConfigResources() {
    }

    static boolean isTopic(byte type) {
        return type == ConfigResource.Type.TOPIC.id();
    }

    static boolean isBroker(byte type) {
        return type == ConfigResource.Type.BROKER.id();
    }

    /** The ZooKeeper entity of a broker resource name: the id, or {@code <default>} for "". */
    static String brokerEntity(String resourceName) {
        if (resourceName == null || resourceName.isEmpty()) {
            return ConfigStore.DEFAULT_BROKER_ENTITY;
        }
        try {
            if (Integer.parseInt(resourceName) >= 0) {
                return resourceName;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new ApiError(Errors.INVALID_REQUEST, "broker resource name must be a broker id or empty (the cluster "
                + "default), not '" + resourceName + "'");
    }

    static ApiError unsupportedType(byte type) {
        return new ApiError(Errors.INVALID_REQUEST, "config resource type " + ConfigResource.Type.forId(type)
                + " is not supported; TOPIC and BROKER are");
    }
}
