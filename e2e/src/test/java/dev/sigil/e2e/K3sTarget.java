package dev.sigil.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** A k3s server in a container (Testcontainers): a real API server where Docker is available. */
final class K3sTarget extends KubeconfigTarget {
    static final String IMAGE = "rancher/k3s:v1.32.5-k3s1";

    private final K3sContainer k3s;

    private K3sTarget(K3sContainer k3s, Path kubeconfig) {
        super(kubeconfig);
        this.k3s = k3s;
    }

    static K3sTarget start(Path workDir) {
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
        k3s.start();
        try {
            return new K3sTarget(k3s, Files.writeString(workDir.resolve("k3s.kubeconfig"), k3s.getKubeConfigYaml()));
        } catch (IOException e) {
            k3s.stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return "k3s container " + IMAGE;
    }

    @Override
    public void close() {
        k3s.stop();
    }
}
