package dev.sigil.crds.testing;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mock API server's HTTP listener. Every request but one kind is answered as Fabric8's mock web server answers
 * it, by the same handler: WebSocket watches included. The exception is a watch asked over plain HTTP (a GET with
 * {@code watch=true} and no WebSocket upgrade), which kube-apiserver streams as one JSON watch event per line in a
 * response that stays open, as client-go and kubectl watch, and over HTTP/2 as one more stream of the client's one
 * connection. The stock mock cannot answer one: it serves a watch only as a WebSocket.
 */
final class MockHttpServer implements AutoCloseable {
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final HttpServer listening;

    private MockHttpServer(Vertx vertx, HttpServer listening) {
        this.vertx = vertx;
        this.listening = listening;
    }

    /** Listens on {@code port} of {@code address} (0: any free port), plain HTTP/1.1 and HTTP/2 by its preface. */
    static MockHttpServer start(InetAddress address, int port, Dispatcher dispatcher) {
        Vertx vertx = Vertx.vertx();
        HttpServerRequestHandler mockWebServer = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return dispatcher.dispatch(request);
            }
        };
        HttpServer listening = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(address.getHostAddress())
                        .setPort(port)
                        .setHandle100ContinueAutomatically(true))
                .requestHandler(request -> {
                    if (isHttpWatch(request)) {
                        streamWatch(request, dispatcher);
                    } else {
                        mockWebServer.handle(request);
                    }
                });
        try {
            await(listening.listen());
        } catch (RuntimeException e) {
            await(vertx.close());
            throw e;
        }
        return new MockHttpServer(vertx, listening);
    }

    int port() {
        return listening.actualPort();
    }

    @Override
    public void close() {
        await(listening.close());
        await(vertx.close());
    }

    private static boolean isHttpWatch(HttpServerRequest request) {
        return request.method() == io.vertx.core.http.HttpMethod.GET
                && !request.headers().contains(HttpHeaders.UPGRADE)
                && "true".equals(request.getParam("watch")); // the only spelling the CRUD dispatcher takes for a watch
    }

    private static void streamWatch(HttpServerRequest request, Dispatcher dispatcher) {
        RecordedRequest recorded = new RecordedRequest(request.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.GET, request.uri(), Headers.builder().addAll(request.headers()).build(), new Buffer());
        MockResponse answer = dispatcher.dispatch(recorded);
        HttpServerResponse response = request.response();
        WebSocketListener events = answer.getWebSocketListener();
        if (events == null) {
            // Refused (a bad request, a kind not served): the status and body as any other request's.
            response.setStatusCode(answer.code());
            answer.getHeaders().toMultimap().forEach(response::putHeader);
            Buffer body = answer.getBody();
            response.end(body == null ? io.vertx.core.buffer.Buffer.buffer()
                    : io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (request.version() != HttpVersion.HTTP_2) {
            response.setChunked(true);
        }
        EventStream stream = new EventStream(recorded, response, events);
        response.closeHandler(ignored -> stream.clientWent());
        response.writeHead();
        events.onOpen(stream, answer);
    }

    /** One HTTP watch: the mock's watch listener sends into it as into a WebSocket, each message one line. */
    private static final class EventStream implements WebSocket {
        /** WebSocket's code for an endpoint going away, as the listener is told when the client leaves. */
        private static final int GOING_AWAY = 1001;

        private final RecordedRequest request;
        private final HttpServerResponse response;
        private final WebSocketListener events;
        private final AtomicBoolean ended = new AtomicBoolean();

        EventStream(RecordedRequest request, HttpServerResponse response, WebSocketListener events) {
            this.request = request;
            this.response = response;
            this.events = events;
        }

        @Override
        public RecordedRequest request() {
            return request;
        }

        @Override
        public boolean send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean send(byte[] bytes) {
            if (ended.get()) {
                return false;
            }
            response.write(io.vertx.core.buffer.Buffer.buffer(bytes.length + 1).appendBytes(bytes).appendByte((byte) '\n'));
            return true;
        }

        /** The server ends the watch: the response ends, as kube-apiserver's when a watch's timeout runs out. */
        @Override
        public boolean close(int code, String reason) {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            response.end();
            events.onClosed(this, code, reason);
            return true;
        }

        void clientWent() {
            if (ended.compareAndSet(false, true)) {
                events.onClosed(this, GOING_AWAY, "the client closed the watch");
            }
        }
    }

    private static <T> T await(Future<T> pending) {
        try {
            return pending.toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the mock's listener started or stopped", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the mock's listener did not start or stop: " + e.getMessage(), e);
        }
    }
}
