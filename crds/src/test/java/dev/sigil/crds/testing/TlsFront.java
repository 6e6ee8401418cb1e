package dev.sigil.crds.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS in front of the plain mock, as a pod meets the API server: at an IP address (in a cluster, the
 * {@code kubernetes} Service's), which the server's certificate names, so a client checks the address and sends no
 * server name; HTTP/2 offered through ALPN. The bytes go on to the mock as they are: it takes HTTP/2 without TLS by
 * its connection preface. Fabric8's mock can serve TLS itself, but only on a certificate for a host name, which
 * costs a client the JDK's IDN and Unicode tables a client in a cluster never loads.
 */
final class TlsFront implements AutoCloseable {
    static final String SUBJECT = "CN=kube-apiserver (Sigil's mock)";

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final SSLServerSocket listening;
    private final int backendPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TlsFront(SSLServerSocket listening, int backendPort) {
        this.listening = listening;
        this.backendPort = backendPort;
    }

    /** Listens on {@code frontPort} of the loopback address (0: any free port), relaying to {@code backendPort}. */
    static TlsFront start(KeyPair key, X509Certificate certificate, int frontPort, int backendPort) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("api-server", key.getPrivate(), new char[0], new X509Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            SSLServerSocket listening = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(frontPort, 50, LOOPBACK);
            SSLParameters parameters = listening.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            listening.setSSLParameters(parameters);
            TlsFront front = new TlsFront(listening, backendPort);
            Thread.ofPlatform().daemon().name("mock-api-server-tls-" + listening.getLocalPort()).start(front::accept);
            return front;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serve TLS for the mock API server", e);
        }
    }

    /** A key and a self-signed certificate for the loopback address, valid for a day. */
    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certify(KeyPair key) {
        Instant now = Instant.now();
        X500Name subject = new X500Name(SUBJECT);
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, key.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, LOOPBACK.getHostAddress())))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the mock API server's certificate", e);
        }
    }

    int port() {
        return listening.getLocalPort();
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) listening.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException e) {
                // closed: the front stops
            }
        }
    }

    private void relay(SSLSocket client) {
        try (client; Socket backend = new Socket(LOOPBACK, backendPort)) {
            open.add(backend);
            client.startHandshake();
            Thread toBackend = Thread.ofVirtual().start(() -> copy(client, backend));
            copy(backend, client);
            toBackend.join();
        } catch (IOException e) {
            // a client that went away, a failed handshake or the mock stopped: the connection ends, as it would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    /** Copies until either side ends, then closes both, as a proxy that lost one side does. */
    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side that broke off, or the other direction closed both: nothing to hand on
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(listening);
        open.forEach(TlsFront::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed or broken: nothing left to release
        }
    }
}
