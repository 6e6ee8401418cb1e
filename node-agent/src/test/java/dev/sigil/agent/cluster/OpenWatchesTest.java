package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Which answers open a watch, decided on Fabric8's request and response as its HTTP client hands them over: only a
 * watch request's 200, until its body is done, whatever ends it. ({@link OpenWatchesIT} has Fabric8 watch for real.)
 */
class OpenWatchesTest {
    private static final String NODES_WATCH = "https://10.96.0.1/api/v1/nodes?fieldSelector=metadata.name%3Dnode-a"
            + "&allowWatchBookmarks=true&watch=true";

    private final OpenWatches watches = new OpenWatches();

    @Test
    void aWatchIsOpenFromItsAnswerUntilItsBodyIsDone() {
        Body body = answer(NODES_WATCH, 200);
        assertThat(watches.isOpen("nodes")).isTrue();
        assertThat(watches.isOpen("pods")).isFalse();
        body.done.complete(null);
        assertThat(watches.isOpen("nodes")).isFalse();
    }

    @Test
    void aWatchThatFailsIsClosed() {
        Body body = answer(NODES_WATCH, 200);
        body.done.completeExceptionally(new IOException("connection reset"));
        assertThat(watches.isOpen("nodes")).isFalse();
    }

    @Test
    void eachWatchOfAResourceCountsUntilTheLastIsDone() {
        Body first = answer(NODES_WATCH, 200);
        Body renewed = answer(NODES_WATCH, 200);
        first.done.cancel(false);
        assertThat(watches.isOpen("nodes")).isTrue();
        renewed.done.complete(null);
        assertThat(watches.isOpen("nodes")).isFalse();
    }

    @Test
    void aRefusalIsNoWatchEvenWhileItsBodyIsRead() {
        answer(NODES_WATCH, 403);
        answer(NODES_WATCH.replace("watch=true", "watch=false"), 200);
        answer("https://10.96.0.1/api/v1/nodes?fieldSelector=metadata.name%3Dnode-a", 200);
        answer("https://10.96.0.1/api/v1/nodes?watcher=true", 200);
        assertThat(watches.isOpen("nodes")).isFalse();
    }

    @Test
    void theResourceIsTheWatchPathsPlural() {
        answer("https://10.96.0.1/apis/sigil.dev/v1alpha1/bpfnodestates?watch=true&resourceVersion=12", 200);
        answer("https://10.96.0.1/api/v1/namespaces/shop/pods?watch=true", 200);
        assertThat(watches.isOpen("bpfnodestates")).isTrue();
        assertThat(watches.isOpen("pods")).isTrue();
        assertThat(watches.isOpen("shop")).isFalse();
    }

    private Body answer(String uri, int code) {
        HttpRequest request = new StandardHttpRequest.Builder().uri(uri).build();
        Body body = new Body();
        watches.after(request, new Response(request, code, body), (buffers, asyncBody) -> {
        });
        return body;
    }

    private static final class Body implements AsyncBody {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void consume() {
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            done.cancel(false);
        }
    }

    private record Response(HttpRequest request, int code, AsyncBody body) implements HttpResponse<AsyncBody> {
        @Override
        public List<String> headers(String name) {
            return List.of();
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of();
        }

        @Override
        public Optional<HttpResponse<?>> previousResponse() {
            return Optional.empty();
        }
    }
}
