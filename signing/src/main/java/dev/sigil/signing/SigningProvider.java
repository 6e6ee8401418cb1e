package dev.sigil.signing;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle's JCA provider, handed to the builders that make keys, certificates and signatures; never registered
 * globally. Only signing touches this class, so only signing pays for building it (some 300 classes and 1,000
 * algorithm registrations, about 0.3 s of CPU in a cold JVM): reading trust bundles and verifying use Bouncy Castle's
 * ASN.1 and CMS classes with the JDK's providers.
 */
final class SigningProvider {
    static final Provider BC = new BouncyCastleProvider();

    private SigningProvider() {
    }
}
