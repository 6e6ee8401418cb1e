package dev.sigil.agent.cluster;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link ProgramHost} as the trust bundle on disk has it. Apply re-verifies with the host's own
 * bundle, so a changed bundle means a new host: it re-adopts the pins (no detach gap), and its {@link #epoch()}
 * tells the reconciler to apply every program again, which unloads those the new bundle no longer trusts.
 * Every use holds this object's lock, so the reconcile pass and the node tick never use the host at once, nor
 * one that is being replaced.
 */
final class TrustedHost {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedHost.class);

    private final ProgramHostFactory factory;
    private final Path trustPath;
    private ProgramHost host;
    private String fingerprint;
    private String rejectedFingerprint;
    private long epoch;

    TrustedHost(ProgramHostFactory factory, Path trustPath) {
        this.factory = factory;
        this.trustPath = trustPath;
    }

    /** Opens the host and takes over what an earlier agent pinned; returns what it adopted. */
    synchronized List<ResourceReport> open() throws Exception {
        fingerprint = TrustFingerprint.of(trustPath);
        host = factory.open();
        epoch++;
        return host.adoptPinned();
    }

    /**
     * Opens a new host if the trust bundle changed and the new one can be used; a bundle that cannot is
     * logged once and the previous host kept. Returns whether the host was replaced.
     */
    synchronized boolean reopenIfTrustChanged() {
        String now = TrustFingerprint.of(trustPath);
        if (now.equals(fingerprint) || now.equals(rejectedFingerprint)) {
            return false;
        }
        ProgramHost fresh = null;
        try {
            fresh = factory.open();
            fresh.adoptPinned();
        } catch (Exception e) {
            if (fresh != null) {
                // Closing a host leaves the pins in place; it only releases the fds the adoption opened.
                fresh.close();
            }
            rejectedFingerprint = now;
            LOG.error("Trust bundle {} changed but cannot be used; keeping the previous one: {}", trustPath, e.getMessage());
            return false;
        }
        host.close();
        host = fresh;
        fingerprint = now;
        rejectedFingerprint = null;
        epoch++;
        LOG.info("Trust bundle {} changed: re-verifying every program", trustPath);
        return true;
    }

    /** Runs the work with the current host, which nothing replaces or closes meanwhile. */
    synchronized <T> T use(Function<ProgramHost, T> work) {
        return work.apply(host);
    }

    /** Counts the hosts opened: a new one has verified nothing yet. */
    synchronized long epoch() {
        return epoch;
    }

    /** Releases the host's file descriptors; pinned programs stay attached for the next agent. */
    synchronized void close() {
        if (host != null) {
            host.close();
        }
    }
}
