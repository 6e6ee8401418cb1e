package dev.sigil.cli;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.api.SpecVerifier;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import dev.sigil.signing.intent.VerifiedProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Verifies a SignedBpfProgram the way a node does before loading it: signature over the loader, metadata hash, "
                    + "LoaderHashV1 prologue, signer chain to the trust bundle, validity, key usage, revocation, then the "
                    + "signed intent (its signature, and that the resource's programs, attach points, maps, enforcement "
                    + "and node selector are what it binds) and each attach point against the programs' signed load attributes.",
            "Exit status: 0 verified (one-line summary), 1 rejected (REASON: message), 2 usage or input error."
        },
        footer = {
            "",
            "Trust bundle: a PEM file, or a directory of *.pem/*.crt files with optional revoked-certificates,",
            "revoked-keys, revoked-loaders and unbound-programs (Reject or Admit) files. It must hold the signer's",
            "certificate (signatures embed none), any intermediates and the self-signed root.",
            "Revocation list (--revoked): one entry per line, '#' comments:",
            "  certificate <sha256 fingerprint of the DER certificate, hex>",
            "  key <sha256 fingerprint of the DER SubjectPublicKeyInfo, hex: every certificate of that key>",
            "  loader sha256:<hex of the signed loader>"
        })
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "FILE|DIR", description = "Trust bundle: PEM file or directory.")
    Path trust;

    @Option(names = "--revoked", paramLabel = "FILE", description = "Extra revocations: 'certificate <hex>' / 'key <hex>' / 'loader sha256:<hex>' lines.")
    Path revoked;

    @Parameters(index = "0", paramLabel = "RESOURCE.yaml", description = "The SignedBpfProgram to verify.")
    Path resourceFile;

    @Override
    public Integer call() throws Exception {
        TrustBundle trustBundle = trustBundle();
        SignedBpfProgram resource = SignedProgramResource.read(resourceFile);
        SignedBpfProgramSpec resourceSpec = resource.getSpec();
        try {
            VerifiedProgram program = new SpecVerifier(trustBundle, Clock.systemUTC()).verify(resourceSpec);
            VerifiedBundle verified = program.bundle();
            spec.commandLine().getOut().printf("verified %s: signed by %s (SKID %s, valid until %s), %s, loader %s, %d program(s), %d map(s); %s%n",
                    resource.getMetadata().getName(), verified.signer().subject(), verified.signer().subjectKeyId(),
                    verified.signer().notAfter(), verified.bundle().protocol(), verified.loaderHash(),
                    resourceSpec.getPrograms().size(), resourceSpec.getMaps().size(), IntentReport.summary(program.binding()));
            return 0;
        } catch (VerificationException e) {
            spec.commandLine().getErr().println(e.reason() + ": " + e.getMessage());
            return CliException.FAILURE;
        }
    }

    private TrustBundle trustBundle() throws IOException {
        try {
            TrustBundle bundle = TrustBundle.load(trust);
            if (revoked == null) {
                return bundle;
            }
            return bundle.withRevocations(Revocations.parseList(Files.readString(revoked, StandardCharsets.UTF_8), revoked.toString()));
        } catch (KeyMaterialException | IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw CliException.unreadable(e);
        }
    }
}
