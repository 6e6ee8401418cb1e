package dev.sigil.kubectl;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.api.SpecVerifier;
import dev.sigil.api.resource.ResourceException;
import dev.sigil.api.resource.ResourceReader;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Recomputes the operator's verdict on a SignedBpfProgram locally, with the trust bundle you give: signature "
                    + "over the loader, metadata hash, LoaderHashV1 prologue, signer chain, validity, key usage, revocation, "
                    + "the signed intent and what it binds (the check the operator and every agent run). Then says whether "
                    + "the operator's Verified condition agrees.",
            "Exit status: 0 verified, 1 rejected (REASON: message), 2 usage or input error."
        })
final class VerifyCommand extends ClusterCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Parameters(paramLabel = "NAME", description = "A SignedBpfProgram in the cluster.")
        String name;

        @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "A SignedBpfProgram YAML or JSON file instead.")
        Path file;
    }

    @Option(names = "--trust", required = true, paramLabel = "FILE|DIR",
            description = "Trust bundle: a PEM file or a trust directory (as the trust ConfigMap mounts).")
    Path trust;

    @Option(names = "--revoked", paramLabel = "FILE", description = "Extra revocations: 'certificate <hex>' / 'loader sha256:<hex>' lines.")
    Path revoked;

    @Override
    public Integer call() {
        TrustBundle trustBundle = trustBundle();
        SignedBpfProgram program = program();
        PrintWriter out = out();
        Optional<String> localReason;
        try {
            VerifiedBundle verified = new SpecVerifier(trustBundle, root.clock()).verify(program.getSpec()).bundle();
            out.printf("verified %s: signed by %s (SKID %s, valid until %s), loader %s%n", program.getMetadata().getName(),
                    verified.signer().subject(), verified.signer().subjectKeyId(), verified.signer().notAfter(),
                    verified.loaderHash());
            localReason = Optional.empty();
        } catch (VerificationException e) {
            out.println("rejected " + program.getMetadata().getName() + ": " + e.reason() + ": " + e.getMessage());
            localReason = Optional.of(e.reason().name());
        }
        out.println(operatorComparison(program, localReason));
        return localReason.isEmpty() ? 0 : KubectlSigil.FAILURE;
    }

    /** Whether the operator's Verified condition, for this generation, says the same. */
    static String operatorComparison(SignedBpfProgram program, Optional<String> localReason) {
        Optional<Condition> verified = Conditions.find(program, "Verified");
        if (verified.isEmpty()) {
            return "the operator has not recorded a verdict (no Verified condition)";
        }
        Condition condition = verified.get();
        String operator = "Verified=" + condition.getStatus() + " (" + condition.getReason() + ")";
        if (condition.getObservedGeneration() != null
                && !Objects.equals(condition.getObservedGeneration(), program.getMetadata().getGeneration())) {
            return "the operator's " + operator + " is about generation " + condition.getObservedGeneration()
                    + ", not the current " + program.getMetadata().getGeneration();
        }
        boolean operatorVerified = "True".equals(condition.getStatus());
        boolean agrees = localReason.isEmpty() ? operatorVerified : localReason.get().equals(condition.getReason());
        if (agrees) {
            return "the operator agrees: " + operator;
        }
        return "the operator disagrees: " + operator + (condition.getMessage() == null ? "" : ": " + condition.getMessage())
                + " (its trust bundle differs from --trust, or its clock from yours)";
    }

    private SignedBpfProgram program() {
        if (source.file != null) {
            try {
                return ResourceReader.read(source.file);
            } catch (ResourceException e) {
                throw new PluginException(KubectlSigil.USAGE, e.getMessage(), e);
            }
        }
        try (KubernetesClient client = cluster.connect()) {
            return cluster.reader(client).program(source.name);
        }
    }

    private TrustBundle trustBundle() {
        try {
            TrustBundle bundle = TrustBundle.load(trust);
            return revoked == null ? bundle : bundle.withRevocations(
                    Revocations.parseList(Files.readString(revoked, StandardCharsets.UTF_8), revoked.toString()));
        } catch (KeyMaterialException | IllegalArgumentException e) {
            throw new PluginException(KubectlSigil.USAGE, e.getMessage(), e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PluginException(KubectlSigil.USAGE, e.getFile() + ": no such file or directory", e);
        } catch (IOException e) {
            throw new PluginException(KubectlSigil.USAGE, "cannot read the trust bundle: " + e.getMessage(), e);
        }
    }
}
