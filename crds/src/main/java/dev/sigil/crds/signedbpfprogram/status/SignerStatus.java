package dev.sigil.crds.signedbpfprogram.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The signer's certificate as the verifier found it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SignerStatus {
    @JsonPropertyDescription("Subject distinguished name (RFC 2253).")
    @Size(max = 1024)
    private String subject;

    @JsonPropertyDescription("SubjectKeyIdentifier, lowercase hex; the signature names its signer by it.")
    @Size(max = 128)
    @Pattern("^[0-9a-f]{2,128}$")
    private String subjectKeyId;

    @JsonPropertyDescription("SHA-256 fingerprint of the DER certificate, lowercase hex; what certificate revocation lists name.")
    @Size(max = 64)
    @Pattern("^[0-9a-f]{64}$")
    private String fingerprintSha256;

    @JsonPropertyDescription("End of the certificate's validity (RFC 3339).")
    @Size(max = 64)
    private String notAfter;

    public SignerStatus() {
    }

    public SignerStatus(String subject, String subjectKeyId, String fingerprintSha256, String notAfter) {
        this.subject = subject;
        this.subjectKeyId = subjectKeyId;
        this.fingerprintSha256 = fingerprintSha256;
        this.notAfter = notAfter;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getSubjectKeyId() {
        return subjectKeyId;
    }

    public void setSubjectKeyId(String subjectKeyId) {
        this.subjectKeyId = subjectKeyId;
    }

    public String getFingerprintSha256() {
        return fingerprintSha256;
    }

    public void setFingerprintSha256(String fingerprintSha256) {
        this.fingerprintSha256 = fingerprintSha256;
    }

    public String getNotAfter() {
        return notAfter;
    }

    public void setNotAfter(String notAfter) {
        this.notAfter = notAfter;
    }
}
