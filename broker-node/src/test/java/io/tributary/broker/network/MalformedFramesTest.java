package io.tributary.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.WireClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Garbage on the wire closes that connection only; the broker keeps serving everyone else. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedFramesTest {

    @TempDir
    static Path dataDir;

    private LocalCluster cluster;
    private WireClient bystander;

    @BeforeAll
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir);
        bystander = new WireClient("127.0.0.1", cluster.port(1));
        assertServes(bystander);
    }

    @AfterAll
    void stop() throws Exception {
        bystander.close();
        cluster.close();
    }

    private static void assertServes(WireClient client) throws Exception {
        ApiVersionsResponse response = (ApiVersionsResponse) client.send(new ApiVersionsRequestData(), (short) 0);
        assertEquals(Errors.NONE.code(), response.data().errorCode());
        assertTrue(response.data().apiKeys().size() >= 8);
    }

    private void assertClosedAndOthersServed(byte[] garbage) throws Exception {
        try (WireClient attacker = new WireClient("127.0.0.1", cluster.port(1))) {
            attacker.sendRaw(garbage);
            assertTrue(attacker.isClosedByPeer(), "the broker should close a connection that sent garbage");
        }
        assertServes(bystander);
        try (WireClient fresh = new WireClient("127.0.0.1", cluster.port(1))) {
            assertServes(fresh);
        }
    }

    @Test
    void randomBytes() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0; // a plausible size (under 16 MiB) so the broker reads a frame and must decode it
        garbage[1] = 0;
        garbage[2] = 0x0f;
        garbage[3] = (byte) 0xfc;
        ByteBuffer.wrap(garbage).putInt(0, garbage.length - 4);
        assertClosedAndOthersServed(garbage);
    }

    @Test
    void negativeSize() throws Exception {
        assertClosedAndOthersServed(ByteBuffer.allocate(8).putInt(-1).putInt(0).array());
    }

    @Test
    void twoGibibyteSize() throws Exception {
        assertClosedAndOthersServed(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array());
    }

    @Test
    void unknownApiKey() throws Exception {
        ByteBuffer frame = ByteBuffer.allocate(4 + 10);
        frame.putInt(10).putShort((short) 9999).putShort((short) 0).putInt(7).putShort((short) -1);
        assertClosedAndOthersServed(frame.array());
    }

    @Test
    void truncatedRequestBody() throws Exception {
        byte[] valid = WireClient.encode(new MetadataRequestData().setTopics(null), (short) 12, 1);
        // Keep the size and the header but cut the body short: the declared size no longer fits the content.
        byte[] truncated = new byte[valid.length - 3];
        System.arraycopy(valid, 0, truncated, 0, truncated.length);
        ByteBuffer.wrap(truncated).putInt(0, truncated.length - 4);
        assertClosedAndOthersServed(truncated);
    }

    @Test
    void unsupportedVersionOfAKnownApi() throws Exception {
        byte[] frame = WireClient.encode(new MetadataRequestData().setTopics(null), (short) 12, 1);
        ByteBuffer.wrap(frame).putShort(6, (short) 99);
        assertClosedAndOthersServed(frame);
    }

    @Test
    void apiVersionsNewerThanOursIsAnsweredAtV0WithOurRanges() throws Exception {
        byte[] frame = WireClient.encode(new ApiVersionsRequestData(), (short) 3, 77);
        ByteBuffer.wrap(frame).putShort(6, (short) 99);
        try (WireClient client = new WireClient("127.0.0.1", cluster.port(1))) {
            client.sendRaw(frame);
            ByteBuffer response = client.readFrame();
            assertEquals(77, ResponseHeader.parse(response, (short) 0).correlationId());
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), data.errorCode());
            assertTrue(data.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion() >= 3);
            assertServes(client);
        }
    }
}
