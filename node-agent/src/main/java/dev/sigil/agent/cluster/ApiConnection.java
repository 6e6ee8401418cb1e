package dev.sigil.agent.cluster;

/**
 * What the agent knows of its link to the API server, observed on every node tick. While it is away the
 * informer caches keep their last view and nothing is unloaded for lack of news; when it is back the agent
 * lists everything afresh rather than trust resumed watches: a restored or rebuilt API server can resume a watch
 * without replaying what it lost, and it may never have seen this node's state.
 */
enum ApiConnection {
    /** Listing (at start, or afresh after an outage); no pass decides anything before the lists are complete. */
    Listing,
    /** Every informer has listed and is watching. */
    Watching,
    /** A watch dropped, or a write got no answer at all. */
    Away;

    /** The state after observing whether every informer is synced and watching now. */
    ApiConnection next(boolean watching) {
        return switch (this) {
            case Listing -> watching ? Watching : Listing;
            case Watching -> watching ? Watching : Away;
            case Away -> watching ? Listing : Away;
        };
    }

    /** Whether moving to {@code next} means listing afresh. */
    boolean relistsOn(ApiConnection next) {
        return this == Away && next == Listing;
    }

    /** A write that got no HTTP answer: the outage may be too short for the watches to notice. */
    ApiConnection noAnswer() {
        return this == Watching ? Away : this;
    }
}
