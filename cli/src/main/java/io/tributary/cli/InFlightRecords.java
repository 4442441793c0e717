package io.tributary.cli;

/**
 * Counts records sent but not yet acknowledged, so the producer tool can wait for the last
 * acknowledgement without holding one future per line of a possibly huge input.
 */
final class InFlightRecords {
    private long inFlight;

    synchronized void sent() {
        inFlight++;
    }

    synchronized void completed() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    synchronized void awaitNone() throws InterruptedException {
        while (inFlight > 0) {
            wait();
        }
    }
}
