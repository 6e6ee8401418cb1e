package dev.sigil.e2e;

import dev.sigil.crds.schema.CommittedCrds;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator and the {@code sigil} CLI as released: the jars the reactor built before this module, run with
 * {@code java -jar} as the launchers and images run them, logging INFO from Sigil to stderr: the operator as
 * {@code process-logback.xml} says, the CLI (SLF4J's simple logger) through its system properties.
 */
final class ReleaseJars {
    private static final String OPERATOR = "operator/target/sigil-operator.jar";
    private static final String CLI = "cli/target/sigil.jar";

    private ReleaseJars() {
    }

    /** Java arguments for {@code sigil-operator ARGS}. */
    static List<String> operator(List<String> args) {
        return javaJar(OPERATOR, List.of("-Dlogback.configurationFile=" + processLogback()), args);
    }

    /** Java arguments for {@code sigil ARGS}, e.g. {@code agent cluster …}. */
    static List<String> sigil(List<String> args) {
        return javaJar(CLI, List.of("-Dorg.slf4j.simpleLogger.log.dev.sigil=info",
                // Sigil API versions are v1alpha1 on purpose.
                "-Dorg.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils=error"), args);
    }

    private static List<String> javaJar(String relative, List<String> logging, List<String> args) {
        Path jar = CommittedCrds.repositoryRoot().resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -pl e2e -am verify");
        }
        List<String> arguments = new ArrayList<>(logging);
        arguments.addAll(List.of("-jar", jar.toString()));
        arguments.addAll(args);
        return arguments;
    }

    private static String processLogback() {
        try {
            return Path.of(ReleaseJars.class.getResource("/process-logback.xml").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
