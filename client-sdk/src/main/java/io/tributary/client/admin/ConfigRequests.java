package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/** Builds DescribeConfigs and IncrementalAlterConfigs requests for one resource and reads their answers. */
final class ConfigRequests {

    private ConfigRequests() {
    }

    static DescribeConfigsRequestData describe(ConfigResource resource, short version) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true);
        request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(resource.type().id()).setResourceName(resource.name()).setConfigurationKeys(null));
        return request;
    }

    static List<ConfigEntry> parseDescribe(ConfigResource resource, DescribeConfigsResponseData response) {
        DescribeConfigsResponseData.DescribeConfigsResult result = response.results().stream()
                .filter(r -> r.resourceName().equals(resource.name())).findFirst()
                .orElseThrow(() -> new ApiException(Errors.UNKNOWN_SERVER_ERROR, "the response does not mention " + resource));
        Errors error = Errors.forCode(result.errorCode());
        if (error != Errors.NONE) {
            throw new ApiException(error, "Cannot describe the configs of " + describe(resource) + ": "
                    + (result.errorMessage() != null ? result.errorMessage() : error.message()));
        }
        List<ConfigEntry> entries = new ArrayList<>();
        for (DescribeConfigsResponseData.DescribeConfigsResourceResult c : result.configs()) {
            entries.add(new ConfigEntry(c.name(), c.value(), DescribeConfigsResponse.ConfigSource.forId(c.configSource()).source().name(),
                    c.readOnly(), c.isSensitive()));
        }
        return entries;
    }

    static IncrementalAlterConfigsRequestData alter(ConfigResource resource, List<AlterConfigOp> ops, boolean validateOnly) {
        IncrementalAlterConfigsRequestData.AlterConfigsResource wire = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(resource.type().id()).setResourceName(resource.name());
        for (AlterConfigOp op : ops) {
            wire.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName(op.name())
                    .setConfigOperation((byte) op.op().ordinal()).setValue(op.value()));
        }
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(validateOnly);
        request.resources().add(wire);
        return request;
    }

    static void checkAlter(ConfigResource resource, IncrementalAlterConfigsResponseData response) {
        for (IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse r : response.responses()) {
            Errors error = Errors.forCode(r.errorCode());
            if (error != Errors.NONE) {
                throw new ApiException(error, "Cannot alter the configs of " + describe(resource) + ": "
                        + (r.errorMessage() != null ? r.errorMessage() : error.message()));
            }
        }
    }

    static String describe(ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> "topic '" + resource.name() + "'";
            case BROKER -> resource.isBrokerDefault() ? "the cluster's broker defaults" : "broker " + resource.name();
        };
    }
}
