package dev.sigil.crds.testing;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watches the mock serves now, by the server's side of their WebSockets, so that a test can end them as
 * kube-apiserver ends every watch once its timeout (randomised from {@code --min-request-timeout}) runs out; the
 * stock mock keeps a watch open until the client goes.
 */
final class OpenWatches {
    /** WebSocket's normal closure. */
    private static final int NORMAL_CLOSURE = 1000;

    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();

    /** The watch's response, its event listener wrapped to follow the WebSocket's life. */
    MockResponse track(MockResponse watch) {
        WebSocketListener events = watch.getWebSocketListener();
        return events == null ? watch : watch.withWebSocketUpgrade(new Tracked(events));
    }

    int count() {
        return open.size();
    }

    /** Ends every open watch with a normal closure; the client resumes each from the last version it saw. */
    int endAll() {
        List<WebSocket> ending = List.copyOf(open);
        ending.forEach(socket -> {
            open.remove(socket);
            socket.close(NORMAL_CLOSURE, "watch timeout");
        });
        return ending.size();
    }

    /** The mock's own listener, which sends the watch's events, told everything; the socket followed. */
    private final class Tracked extends WebSocketListener {
        private final WebSocketListener events;

        Tracked(WebSocketListener events) {
            this.events = events;
        }

        @Override
        public void onBeforeAccept(WebSocket socket, Response response) {
            events.onBeforeAccept(socket, response);
        }

        @Override
        public void onOpen(WebSocket socket, Response response) {
            open.add(socket);
            events.onOpen(socket, response);
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            events.onMessage(socket, text);
        }

        @Override
        public void onMessage(WebSocket socket, ByteString bytes) {
            events.onMessage(socket, bytes);
        }

        @Override
        public void onMessage(WebSocket socket, byte[] bytes) {
            events.onMessage(socket, bytes);
        }

        @Override
        public void onClosing(WebSocket socket, int code, String reason) {
            open.remove(socket);
            events.onClosing(socket, code, reason);
        }

        @Override
        public void onClosed(WebSocket socket, int code, String reason) {
            open.remove(socket);
            events.onClosed(socket, code, reason);
        }

        @Override
        public void onFailure(WebSocket socket, Throwable failure, Response response) {
            open.remove(socket);
            events.onFailure(socket, failure, response);
        }
    }
}
