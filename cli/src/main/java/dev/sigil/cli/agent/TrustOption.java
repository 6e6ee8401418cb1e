package dev.sigil.cli.agent;

import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.TrustBundle;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --trust}: the trust bundle the agent verifies every program with; shared by the agent commands that load. */
final class TrustOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "FILE|DIR",
            description = "Trust bundle: a PEM certificate, or a directory of *.pem and *.crt with optional revoked-certificates, "
                    + "revoked-keys and revoked-loaders (in a cluster, the mounted trust ConfigMap).")
    Path path;

    /** @throws ParameterException naming the bundle when it cannot be read */
    TrustBundle load() {
        try {
            return TrustBundle.load(path);
        } catch (IOException | KeyMaterialException e) {
            throw new ParameterException(spec.commandLine(), "--trust " + path + ": " + e.getMessage(), e);
        }
    }
}
