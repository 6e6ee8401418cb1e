package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RevocationsTest {
    private static final String FINGERPRINT = "ab".repeat(32);
    private static final String KEY = "ef".repeat(32);
    private static final String LOADER = "sha256:" + "cd".repeat(32);

    @Test
    void parsesTheTrustDirectoryListsWithCommentsAndBlankLines() {
        Revocations revocations = Revocations.parse("# revoked 2030-01-02\n\n" + FINGERPRINT + "  # leaked key\n",
                LOADER + "\n", "# the build machine's key, all its certificates\n" + KEY + "\n");

        assertThat(revocations.certificateFingerprints()).containsExactly(FINGERPRINT);
        assertThat(revocations.loaderHashes()).containsExactly(LOADER);
        assertThat(revocations.keyFingerprints()).containsExactly(KEY);
        assertThat(revocations.isCertificateRevoked(FINGERPRINT)).isTrue();
        assertThat(revocations.isKeyRevoked(KEY)).isTrue();
        assertThat(revocations.isKeyRevoked(FINGERPRINT)).isFalse();
        assertThat(revocations.isLoaderRevoked(LOADER)).isTrue();
        assertThat(revocations.isLoaderRevoked("sha256:" + "00".repeat(32))).isFalse();
    }

    @Test
    void normalisesOpensslFingerprintOutput() {
        String openssl = "sha256 Fingerprint=" + "AB:".repeat(31) + "AB";

        assertThat(Revocations.parse(openssl, "", openssl).certificateFingerprints()).containsExactly(FINGERPRINT);
        assertThat(Revocations.parse("", "", openssl).keyFingerprints()).containsExactly(FINGERPRINT);
    }

    @Test
    void parsesTheCombinedList() {
        Revocations revocations = Revocations.parseList("certificate " + FINGERPRINT + "\n# comment\nloader " + LOADER
                + "\nkey " + KEY + "\n", "revoked.txt");

        assertThat(revocations.certificateFingerprints()).containsExactly(FINGERPRINT);
        assertThat(revocations.loaderHashes()).containsExactly(LOADER);
        assertThat(revocations.keyFingerprints()).containsExactly(KEY);
    }

    @Test
    void namesTheLineOfABadEntry() {
        assertThatThrownBy(() -> Revocations.parse(FINGERPRINT + "\nnot-hex\n", "", ""))
                .hasMessage("revoked-certificates line 2: 'not-hex' is not a SHA-256 fingerprint (64 hex digits)");
        assertThatThrownBy(() -> Revocations.parse("", "cd".repeat(32), ""))
                .hasMessage("revoked-loaders line 1: '" + "cd".repeat(32) + "' is not a loader hash ('sha256:' followed by 64 hex digits)");
        assertThatThrownBy(() -> Revocations.parse("", "", "\nmd5:1234"))
                .hasMessage("revoked-keys line 2: 'md5:1234' is not a SHA-256 fingerprint (64 hex digits)");
        assertThatThrownBy(() -> Revocations.parseList("\n\ncertificate\n", "revoked.txt"))
                .hasMessage("revoked.txt line 3: expected 'certificate <sha256-hex>', 'key <sha256-hex>' or "
                        + "'loader sha256:<hex>', got 'certificate'");
        assertThatThrownBy(() -> Revocations.parseList("cert " + FINGERPRINT, "revoked.txt"))
                .hasMessage("revoked.txt line 1: unknown entry kind 'cert'; expected 'certificate', 'key' or 'loader'");
    }

    @Test
    void unionKeepsAll() {
        Revocations union = Revocations.parse(FINGERPRINT, "", "").union(Revocations.parse("", LOADER, KEY));

        assertThat(union.certificateFingerprints()).containsExactly(FINGERPRINT);
        assertThat(union.loaderHashes()).containsExactly(LOADER);
        assertThat(union.keyFingerprints()).containsExactly(KEY);
        assertThat(Revocations.none().certificateFingerprints()).isEmpty();
    }
}
