package dev.sigil.agent.cluster;

import static dev.sigil.agent.cluster.ApiConnection.Away;
import static dev.sigil.agent.cluster.ApiConnection.Listing;
import static dev.sigil.agent.cluster.ApiConnection.Renewing;
import static dev.sigil.agent.cluster.ApiConnection.Watching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.pods.KubeletCgroups;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiConnectionTest {
    private static final Duration JUST_DOWN = Duration.ZERO;
    private static final Duration PAST_RENEWAL = ApiConnection.RENEWAL;

    @Test
    void aWatchTheServerEndedAndFabric8ResumedIsNoOutage() {
        ApiConnection renewing = Watching.next(false, JUST_DOWN);
        assertThat(renewing).isEqualTo(Renewing);
        assertThat(renewing.decides()).as("the caches are resumed from where they were").isTrue();
        ApiConnection stillRenewing = renewing.next(false, ApiConnection.RENEWAL.minusMillis(1));
        assertThat(stillRenewing).isEqualTo(Renewing);

        ApiConnection resumed = stillRenewing.next(true, Duration.ZERO);
        assertThat(resumed).isEqualTo(Watching);
        assertThat(stillRenewing.relistsOn(resumed)).as("no relist").isFalse();
        assertThat(stillRenewing.listedOn(resumed)).as("no name queued again").isFalse();
    }

    @Test
    void aWatchDownPastTheRenewalIsAnOutageAndListsAfreshWhenBack() {
        ApiConnection away = Renewing.next(false, PAST_RENEWAL);
        assertThat(away).isEqualTo(Away);
        assertThat(away.decides()).as("nothing unloaded for lack of news").isFalse();
        assertThat(Watching.next(false, PAST_RENEWAL)).as("first seen down after the renewal").isEqualTo(Away);

        ApiConnection listing = away.next(true, Duration.ZERO);
        assertThat(listing).isEqualTo(Listing);
        assertThat(away.relistsOn(listing)).isTrue();
        assertThat(listing.decides()).isFalse();
        assertThat(listing.next(false, PAST_RENEWAL)).as("lists not complete yet").isEqualTo(Listing);

        ApiConnection watching = listing.next(true, Duration.ZERO);
        assertThat(watching).isEqualTo(Watching);
        assertThat(listing.listedOn(watching)).as("every name queued once the lists are complete").isTrue();
    }

    @Test
    void aWriteWithoutAnswerIsAnOutageEvenWhileAWatchIsBeingRenewed() {
        assertThat(Watching.noAnswer()).isEqualTo(Away);
        assertThat(Renewing.noAnswer()).isEqualTo(Away);
        assertThat(Listing.noAnswer()).isEqualTo(Listing);
        assertThat(Away.noAnswer()).isEqualTo(Away);
    }

    @Test
    void renewalIsShorterThanATickAndLongerThanFabric8sFirstTwoReconnects() {
        Duration tick = ClusterAgentConfig.defaults("node", Path.of("trust"), new KubeletCgroups(Path.of("/sys/fs/cgroup"), Optional.empty()))
                .tickInterval();
        Duration reconnect = Duration.ofMillis(Config.empty().getWatchReconnectInterval());
        assertThat(ApiConnection.RENEWAL).isLessThan(tick).isGreaterThan(reconnect.multipliedBy(3));
    }
}
