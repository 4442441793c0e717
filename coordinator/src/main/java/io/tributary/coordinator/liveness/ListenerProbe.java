package io.tributary.coordinator.liveness;

import io.tributary.zk.model.BrokerRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * Watches one peer broker's Kafka listener for the one sign that its process is gone while its host is up: the
 * port refuses connections. It holds an idle connection open, so the peer's death shows at once as an end of
 * stream or a reset, then confirms with fresh connects: only {@link #CONFIRMATIONS} refusals in a row count.
 * A connect that times out (a paused process, a lost host or network) is no proof and is merely retried: those
 * cases are left to the ZooKeeper session timeout.
 *
 * <p>One daemon thread per probe, blocked in a read almost all the time.
 */
final class ListenerProbe implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerProbe.class);
    static final int CONFIRMATIONS = 2;
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final long CONFIRM_INTERVAL_MS = 20;
    private static final long RETRY_INTERVAL_MS = 200;

    private final int observerId;
    private final BrokerRegistration peer;
    private final Consumer<BrokerRegistration> onRefused;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;

    ListenerProbe(int observerId, BrokerRegistration peer, Consumer<BrokerRegistration> onRefused) {
        this.observerId = observerId;
        this.peer = peer;
        this.onRefused = onRefused;
        this.thread = new Thread(this::run, "broker-" + observerId + "-probe-" + peer.brokerId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    BrokerRegistration peer() {
        return peer;
    }

    private void run() {
        int refusals = 0;
        while (!closed) {
            try (Socket connection = new Socket()) {
                connection.connect(new InetSocketAddress(peer.host(), peer.port()), CONNECT_TIMEOUT_MS);
                refusals = 0;
                socket = connection;
                if (closed) {
                    return;
                }
                awaitEnd(connection.getInputStream());
                LOG.debug("broker {}: the connection to broker {} at {} ended; checking whether its port refuses",
                        observerId, peer.brokerId(), peer.address());
            } catch (ConnectException refused) {
                refusals++;
                if (refusals >= CONFIRMATIONS) {
                    if (!closed) {
                        LOG.warn("broker {}: broker {} at {} refused {} connections in a row: its process is gone",
                                observerId, peer.brokerId(), peer.address(), refusals);
                        onRefused.accept(peer);
                    }
                    return;
                }
                pause(CONFIRM_INTERVAL_MS);
                continue;
            } catch (SocketTimeoutException slow) {
                refusals = 0; // not a refusal: maybe paused, maybe unreachable; the session timeout decides
            } catch (IOException e) {
                refusals = 0;
            }
            pause(RETRY_INTERVAL_MS);
        }
    }

    private static void awaitEnd(InputStream in) {
        try {
            while (in.read() != -1) {
                // A broker never writes unasked; anything read is ignored.
            }
        } catch (IOException ended) {
            // reset or closed by close(): either way the connection is over
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
