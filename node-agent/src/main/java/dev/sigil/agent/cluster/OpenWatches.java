package dev.sigil.agent.cluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watches the API server is answering now, by resource (a watch path's last segment, its plural: {@code nodes},
 * {@code bpfnodestates}): a watch is open from its response's status 200 until its body ends or fails.
 *
 * <p>The agent watches over plain HTTP, as client-go does: each watch is one stream on the client's one HTTP/2
 * connection, and a renewal is one more request. Fabric8 7.5 counts such a watch as watching only once its first
 * event has arrived, so the watch of a quiet object (the node's own Node or BpfNodeState) would read as down for as
 * long as nothing changed. Seen from the HTTP client, a watch is live while its response is.
 */
final class OpenWatches implements Interceptor {
    static final String NAME = "sigil-open-watches";

    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (response.code() != 200 || !(response.body() instanceof AsyncBody body) || !isWatch(request.uri())) {
            return;
        }
        String resource = resource(request.uri());
        open.merge(resource, 1, Integer::sum);
        body.done().whenComplete((ended, failed) -> open.computeIfPresent(resource, (key, count) -> count == 1 ? null : count - 1));
    }

    /** Whether a watch of this resource (its plural) is being answered now. */
    boolean isOpen(String resource) {
        return open.containsKey(resource);
    }

    private static boolean isWatch(URI uri) {
        String query = uri.getRawQuery();
        return query != null && Arrays.asList(query.split("&")).contains("watch=true");
    }

    private static String resource(URI uri) {
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
