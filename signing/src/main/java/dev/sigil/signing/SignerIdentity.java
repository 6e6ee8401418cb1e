package dev.sigil.signing;

import java.time.Instant;

/**
 * Who signed a bundle.
 *
 * @param subject           subject DN (RFC 2253)
 * @param subjectKeyId      SubjectKeyIdentifier, lowercase hex
 * @param fingerprintSha256 SHA-256 of the DER certificate, lowercase hex
 * @param notAfter          end of the certificate's validity
 */
public record SignerIdentity(String subject, String subjectKeyId, String fingerprintSha256, Instant notAfter) {
}
