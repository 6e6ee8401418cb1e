package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sigil accepts a mutated signature exactly when {@code openssl cms -verify} does, except where the kernel is
 * stricter than OpenSSL (Sigil follows the kernel) or where Sigil keeps to the one kernel form on purpose. The
 * signature is the example program's signed loader signed by the fixture key; every byte of the envelope is
 * flipped bit by bit, every eighth byte of the signature value once. {@link Difference} lists and explains every
 * kind of case OpenSSL accepts and Sigil refuses; a case where Sigil accepts and OpenSSL refuses fails the test.
 */
class KernelCmsOpenSslEquivalenceTest {
    /**
     * Where OpenSSL 3.0 accepts and Sigil refuses, matched on Sigil's message, and why Sigil is right. Kernel
     * references are to {@code crypto/asymmetric_keys/pkcs7_parser.c}, {@code pkcs7.asn1} and {@code pkcs7_verify.c}.
     */
    enum Difference {
        KERNEL_VERSION("^(SignedData|SignerInfo) version is .*",
                "the kernel takes SignedData version 1 or 3 and a SignerInfo version that matches it (pkcs7_note_*_version); "
                        + "OpenSSL reads no version"),
        KERNEL_CONTENT_TYPE("^inner eContentType is .*",
                "the kernel takes only id-data as a BPF signature's content type (pkcs7_note_content, pkcs7_verify); "
                        + "OpenSSL ignores it without signed attributes"),
        KERNEL_DIGEST("^SignerInfo digestAlgorithm is .*",
                "the kernel digests with the SignerInfo's algorithm and refuses one it does not know (-ENOPKG); OpenSSL 3.0 "
                        + "digests with the SignedData digestAlgorithms entry and ignores the SignerInfo's"),
        KERNEL_SIGNATURE_ALGORITHM("^SignerInfo signatureAlgorithm is (?!1\\.2\\.840\\.10045\\.4\\.3\\.[1-4];)[0-9.]+;.*",
                "the kernel refuses a public-key algorithm it does not know (-ENOPKG, pkcs7_sig_note_pkey_algo); OpenSSL "
                        + "takes the algorithm from the certificate's key"),
        FORM_ECDSA_HASH("^SignerInfo signatureAlgorithm is 1\\.2\\.840\\.10045\\.4\\.3\\.[134];.*",
                "Sigil only: the kernel and OpenSSL take any ecdsa-with-SHA* beside a SHA-256 digest; the kernel form "
                        + "names ecdsa-with-SHA256, and a second spelling of one signature is not taken"),
        FORM_PARAMETERS("^SignerInfo signatureAlgorithm is [0-9.]+ with .*",
                "Sigil only: the kernel and OpenSSL ignore the signature algorithm's parameters; the kernel form has NULL "
                        + "for rsaEncryption and none for ECDSA, and a second spelling of one signature is not taken"),
        KERNEL_TAG("^signature is not DER ASN\\.1: .*",
                "the kernel's ASN.1 decoder matches each tag byte exactly; OpenSSL takes a primitive-encoded SET");

        private final java.util.regex.Pattern sigilMessage;
        private final String why;

        Difference(String sigilMessage, String why) {
            this.sigilMessage = java.util.regex.Pattern.compile(sigilMessage);
            this.why = why;
        }

        static java.util.Optional<Difference> of(String sigilMessage) {
            return java.util.Arrays.stream(values()).filter(d -> d.sigilMessage.matcher(sigilMessage).matches()).findFirst();
        }
    }

    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.RSA, Fixtures.EC})
    void sigilAcceptsAMutatedSignatureExactlyWhenOpensslDoes(String kind) throws Exception {
        SigningKey key = Fixtures.key(kind);
        SignedBundle real = BundleSigner.sign(CounterSkeleton.parsed(), key);
        Path loader = Files.write(dir.resolve(kind + "-loader.bin"), real.loader());
        Path cert = Files.writeString(dir.resolve(kind + "-cert.pem"), Pem.encode(key.certificate()));
        BundleVerifier verifier = new BundleVerifier(TrustBundle.of(List.of(key.certificate()), Revocations.none()),
                Clock.fixed(TestCertificates.DURING, ZoneOffset.UTC));

        List<Mutation> mutations = mutations(real.signature());
        List<Outcome> outcomes = compare(mutations, real, verifier, loader, cert);

        Map<Difference, Integer> differences = new TreeMap<>();
        List<Outcome> unexplained = new ArrayList<>();
        int accepted = 0;
        for (Outcome outcome : outcomes) {
            accepted += outcome.sigil() == null && outcome.openssl() ? 1 : 0;
            if ((outcome.sigil() == null) != outcome.openssl()) {
                java.util.Optional<Difference> difference = java.util.Optional.ofNullable(outcome.sigil()).flatMap(Difference::of);
                difference.ifPresentOrElse(d -> differences.merge(d, 1, Integer::sum), () -> unexplained.add(outcome));
            }
        }
        System.out.printf("%s: %d mutations compared with openssl cms -verify: %d accepted by both, %d refused by both, "
                + "OpenSSL-only accepts %s%n", kind, outcomes.size(), accepted,
                outcomes.size() - accepted - differences.values().stream().mapToInt(Integer::intValue).sum() - unexplained.size(),
                differences);
        unexplained.forEach(outcome -> System.out.println("UNEXPLAINED " + outcome));
        assertThat(unexplained).as("differences from OpenSSL no rule explains").isEmpty();
        assertThat(outcomes).hasSize(mutations.size());
    }

    record Mutation(int offset, int mask) {
        byte[] apply(byte[] signature) {
            byte[] copy = signature.clone();
            copy[offset] ^= (byte) mask;
            return copy;
        }
    }

    /** Null {@code sigil}: Sigil accepted; else its message. */
    record Outcome(Mutation mutation, String sigil, boolean openssl, String opensslError) {
    }

    /** All eight bits of every envelope byte, one bit of every eighth signature-value byte (opaque to both parsers). */
    private static List<Mutation> mutations(byte[] signature) {
        int valueStart = signatureValueOffset(signature);
        List<Mutation> mutations = new ArrayList<>();
        for (int offset = 0; offset < signature.length; offset++) {
            if (offset < valueStart) {
                for (int bit = 0; bit < 8; bit++) {
                    mutations.add(new Mutation(offset, 1 << bit));
                }
            } else if ((offset - valueStart) % 8 == 0) {
                mutations.add(new Mutation(offset, 1 << (offset / 8 % 8)));
            }
        }
        return mutations;
    }

    private static int signatureValueOffset(byte[] signature) {
        try {
            ASN1Sequence signedData = (ASN1Sequence) ((ASN1TaggedObject) ((ASN1Sequence) ASN1Primitive.fromByteArray(signature))
                    .getObjectAt(1)).getExplicitBaseObject();
            ASN1Sequence signerInfo = (ASN1Sequence) ((ASN1Set) signedData.getObjectAt(3)).getObjectAt(0);
            byte[] value = ((ASN1OctetString) signerInfo.getObjectAt(4)).getOctets();
            return signature.length - value.length;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Outcome> compare(List<Mutation> mutations, SignedBundle real, BundleVerifier verifier, Path loader,
            Path cert) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Mutation mutation : mutations) {
                futures.add(pool.submit(() -> outcome(mutation, real, verifier, loader, cert)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome outcome(Mutation mutation, SignedBundle real, BundleVerifier verifier, Path loader, Path cert)
            throws Exception {
        byte[] signature = mutation.apply(real.signature());
        String sigil;
        try {
            verifier.verify(new SignedBundle(real.protocol(), real.loader(), real.metadata(), real.hash(), signature));
            sigil = null;
        } catch (VerificationException e) {
            sigil = e.getMessage();
        }
        Path file = Files.write(Files.createTempFile(dir, "mutant", ".der"), signature);
        Shell.Result openssl = Shell.attempt(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", file.toString(), "-content", loader.toString(), "-CAfile", cert.toString(), "-certfile", cert.toString(),
                "-purpose", "any", "-attime", String.valueOf(TestCertificates.DURING.getEpochSecond()), "-out", "/dev/null");
        Files.delete(file);
        return new Outcome(mutation, sigil, openssl.exitCode() == 0, openssl.stderr().lines().reduce((a, b) -> b).orElse(""));
    }
}
