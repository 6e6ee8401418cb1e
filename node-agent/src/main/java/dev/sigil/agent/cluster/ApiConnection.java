package dev.sigil.agent.cluster;

import java.time.Duration;

/**
 * What the agent knows of its link to the API server, observed on every node tick and pass. While it is away the
 * informer caches keep their last view and nothing is unloaded for lack of news; when it is back the agent
 * lists everything afresh rather than trust resumed watches: a restored or rebuilt API server can resume a watch
 * without replaying what it lost, and it may never have seen this node's state. A watch the API server ends on
 * its own (every 30-60 minutes, {@code --min-request-timeout}), which Fabric8 resumes from where it was within a
 * second or two, is no outage: relisting then cost every node its lists again and the agent about 4 MiB of RSS
 * (bench/footprint.sh).
 */
enum ApiConnection {
    /** Listing (at start, or afresh after an outage); no pass decides anything before the lists are complete. */
    Listing,
    /** Every informer has listed and is watching. */
    Watching,
    /** A watch ended and is being resumed, for less than {@link #RENEWAL}: the caches stay trusted. */
    Renewing,
    /** A watch down for longer, or a write that got no answer at all. */
    Away;

    /** Fabric8 reopens an ended watch after 1 s, then 2 s; longer is an outage. Shorter than the 5 s tick. */
    static final Duration RENEWAL = Duration.ofSeconds(4);

    /**
     * The state after observing whether every informer is synced and watching now, and for how long some has not
     * been (zero while all are).
     */
    ApiConnection next(boolean watching, Duration notWatchingFor) {
        return switch (this) {
            case Listing -> watching ? Watching : Listing;
            case Watching, Renewing -> watching ? Watching : notWatchingFor.compareTo(RENEWAL) < 0 ? Renewing : Away;
            case Away -> watching ? Listing : Away;
        };
    }

    /** Whether passes may decide: the caches are complete and current, or being resumed from where they were. */
    boolean decides() {
        return this == Watching || this == Renewing;
    }

    /** Whether moving to {@code next} means listing afresh. */
    boolean relistsOn(ApiConnection next) {
        return this == Away && next == Listing;
    }

    /** Whether moving to {@code next} completes the lists, after which every name is queued. */
    boolean listedOn(ApiConnection next) {
        return this == Listing && next == Watching;
    }

    /** A write that got no HTTP answer: the outage may be too short for the watches to notice. */
    ApiConnection noAnswer() {
        return decides() ? Away : this;
    }
}
