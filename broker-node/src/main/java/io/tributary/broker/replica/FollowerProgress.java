package io.tributary.broker.replica;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's view of its followers: each one's log end offset (the offset of its last fetch) and the last
 * time it was caught up, Kafka's rule for ISR membership (KIP-16 "replica.lag.time.max.ms"): a follower is
 * caught up when it fetches from the leader's log end offset, or from at least the log end offset the leader
 * had at its previous fetch (then it was caught up at that previous fetch).
 *
 * <p>Not thread-safe: the owning {@link Partition} guards it with its high-watermark lock.
 */
final class FollowerProgress {

    /** A follower whose log end offset the leader has not learnt yet (no fetch since this leadership began). */
    static final long UNKNOWN = -1;

    private static final class Follower {
        long logEndOffset = UNKNOWN;
        long lastCaughtUpMs;
        long leaderEndAtLastFetch = UNKNOWN;
        long lastFetchMs;
    }

    private final Map<Integer, Follower> followers = new HashMap<>();

    /** A new leadership: nothing is known of any follower, and each gets a full lag period to show up. */
    void reset(Collection<Integer> followerIds, long nowMs) {
        followers.clear();
        for (int id : followerIds) {
            Follower follower = new Follower();
            follower.lastCaughtUpMs = nowMs;
            followers.put(id, follower);
        }
    }

    void onFetch(int followerId, long fetchOffset, long leaderEndOffset, long nowMs) {
        Follower follower = followers.computeIfAbsent(followerId, id -> {
            Follower fresh = new Follower();
            fresh.lastCaughtUpMs = nowMs;
            return fresh;
        });
        if (fetchOffset >= leaderEndOffset) {
            follower.lastCaughtUpMs = nowMs;
        } else if (follower.leaderEndAtLastFetch != UNKNOWN && fetchOffset >= follower.leaderEndAtLastFetch) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        }
        follower.logEndOffset = fetchOffset;
        follower.leaderEndAtLastFetch = leaderEndOffset;
        follower.lastFetchMs = nowMs;
    }

    long logEndOffset(int followerId) {
        Follower follower = followers.get(followerId);
        return follower == null ? UNKNOWN : follower.logEndOffset;
    }

    /** Members of {@code isr} (other than the leader) not caught up since {@code deadlineMs}. */
    List<Integer> laggingSince(long deadlineMs, Collection<Integer> isr, int leaderId) {
        List<Integer> lagging = new ArrayList<>();
        for (int id : isr) {
            if (id == leaderId) {
                continue;
            }
            Follower follower = followers.get(id);
            if (follower == null || follower.lastCaughtUpMs < deadlineMs) {
                lagging.add(id);
            }
        }
        return lagging;
    }
}
