package dev.sigil.signing;

import java.util.List;

/** The kinds of signing key Sigil makes and accepts: RSA 2048-4096 bits, ECDSA on P-256 or P-384. */
public sealed interface KeySpec permits KeySpec.Rsa, KeySpec.Ec {
    int MIN_RSA_BITS = 2048;
    int MAX_RSA_BITS = 4096;
    List<String> CURVES = List.of("P-256", "P-384");

    static KeySpec rsa(int bits) {
        return new Rsa(bits);
    }

    /** @param curve {@code P-256} or {@code P-384} (also accepted: secp256r1, prime256v1, secp384r1) */
    static KeySpec ec(String curve) {
        return new Ec(Ec.canonicalCurve(curve));
    }

    /** The JCA signature algorithm Sigil signs with: always SHA-256, the digest the CMS form fixes. */
    String signatureAlgorithm();

    record Rsa(int bits) implements KeySpec {
        public Rsa {
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new IllegalArgumentException("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
                        + " bits, got " + bits);
            }
        }

        @Override
        public String signatureAlgorithm() {
            return "SHA256withRSA";
        }

        @Override
        public String toString() {
            return "RSA " + bits;
        }
    }

    record Ec(String curve) implements KeySpec {
        public Ec {
            if (!CURVES.contains(curve)) {
                throw new IllegalArgumentException("EC curve must be one of " + CURVES + ", got " + curve);
            }
        }

        /** The curve's standard (SEC 2) name, as the JCA knows it. */
        public String stdName() {
            return curve.equals("P-256") ? "secp256r1" : "secp384r1";
        }

        @Override
        public String signatureAlgorithm() {
            return "SHA256withECDSA";
        }

        @Override
        public String toString() {
            return "EC " + curve;
        }

        static String canonicalCurve(String name) {
            if (name == null) {
                throw new IllegalArgumentException("EC curve must be one of " + CURVES + ", got none");
            }
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "p-256", "p256", "secp256r1", "prime256v1" -> "P-256";
                case "p-384", "p384", "secp384r1" -> "P-384";
                default -> throw new IllegalArgumentException("EC curve must be one of " + CURVES + ", got " + name);
            };
        }
    }
}
