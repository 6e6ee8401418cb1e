package dev.sigil.cli;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.api.SignedSpecs;
import dev.sigil.signing.GenLoaderMetadata;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.Sha256;
import dev.sigil.signing.SignatureInfo;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.AttachCompatibility;
import dev.sigil.signing.intent.IntentComparison;
import dev.sigil.signing.intent.SigilIntent;
import dev.sigil.signing.intent.SignedProgram;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Shows what a SignedBpfProgram (or a light skeleton header) holds: programs and attach points, each program's "
                    + "load attributes (type, expected attach type, BTF target), maps, what the signed intent binds and "
                    + "whether the resource matches it, signer, hashes and sizes. Inspecting checks consistency but is "
                    + "not verification (no trust bundle): use sigil verify."
        })
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "RESOURCE.yaml, or a .lskel.h header.")
    Path file;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--output must be text or json, got '" + format + "'");
        }
        Map<String, Object> report = isSkeletonHeader() ? skeletonReport() : resourceReport();
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(SignedProgramResource.toJson(report));
        } else {
            print(out, report, "");
        }
        out.flush();
        return 0;
    }

    private boolean isSkeletonHeader() {
        String name = file.getFileName().toString();
        return name.endsWith(".h");
    }

    private Map<String, Object> resourceReport() {
        SignedBpfProgram resource = SignedProgramResource.read(file);
        SignedBpfProgramSpec resourceSpec = resource.getSpec();
        SignedProgram signed;
        try {
            signed = SignedSpecs.read(resourceSpec);
        } catch (VerificationException e) {
            throw new CliException(CliException.FAILURE, e.reason() + ": " + e.getMessage(), e);
        }
        SignedBundle bundle = signed.bundle();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("kind", "SignedBpfProgram");
        report.put("name", resource.getMetadata().getName());
        report.put("protocol", bundle.protocol());
        report.put("enforcement", String.valueOf(resourceSpec.getEnforcement()));
        report.put("nodeSelector", resourceSpec.getNodeSelector() == null ? "all nodes" : nodeSelector(resourceSpec));
        Map<String, Object> programs = new LinkedHashMap<>();
        for (ProgramSpec program : resourceSpec.getPrograms()) {
            programs.put(program.getName(), program.getAttach() == null ? "(none)" : program.getAttach().describe());
        }
        report.put("programs", programs);
        report.put("maps", resourceSpec.getMaps().stream().map(MapSpec::getName).toList());
        report.put("programLoads", programLoads(bundle.loader(), bundle.metadata()));
        report.put("attachCheck", outcome(() -> AttachCompatibility.require(signed.claims().programs(),
                GenLoaderMetadata.programs(bundle.loader(), bundle.metadata()))));
        if (signed.intent().isPresent()) {
            SigilIntent intent = signed.intent().get().intent();
            report.put("intent", IntentReport.details(intent));
            report.put("intentSignature", signature(signed.intent().get().signature()));
            report.put("resourceMatchesIntent", outcome(() -> IntentComparison.requireSatisfied(intent, bundle,
                    signed.claims())));
        } else {
            report.put("intent", "none: unbound (refused unless the trust bundle's unbound-programs says Admit)");
        }
        report.put("signature", signature(bundle.signature()));
        report.put("hash", bundle.hash());
        report.put("hashMatchesMetadata", Sha256.tagged(bundle.metadata()).equals(bundle.hash()));
        report.put("loaderHash", bundle.loaderHash());
        report.put("prologueMatchesMetadata", LoaderHashV1.startsWithPrologue(bundle.loader(), bundle.metadataSha256()));
        report.put("loaderBytes", bundle.loader().length);
        report.put("loaderInstructions", bundle.loader().length / LoaderHashV1.INSTRUCTION_SIZE);
        report.put("metadataBytes", bundle.metadata().length);
        report.put("signatureBytes", bundle.signature().length);
        return report;
    }

    private Map<String, Object> skeletonReport() throws Exception {
        LightSkeleton skeleton = LightSkeleton.parse(file);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("kind", "LightSkeleton");
        report.put("name", skeleton.name());
        Map<String, Object> programs = new LinkedHashMap<>();
        for (int i = 0; i < skeleton.programNames().size(); i++) {
            String program = skeleton.programNames().get(i);
            programs.put(program, Optional.ofNullable(skeleton.defaultAttach().get(program)).map(Object::toString)
                    .orElse("(no default: give --attach to sigil sign)") + "; loads as " + skeleton.programLoads().get(i).describe());
        }
        report.put("programs", programs);
        report.put("maps", skeleton.mapNames());
        report.put("loaderBytes", skeleton.loaderInstructions().length);
        report.put("loaderInstructions", skeleton.loaderInstructions().length / LoaderHashV1.INSTRUCTION_SIZE);
        report.put("metadataBytes", skeleton.metadata().length);
        report.put("metadataHash", Sha256.tagged(skeleton.metadata()));
        if (skeleton.signature().isPresent()) {
            report.put("bpftoolSignature", signature(skeleton.signature().get()));
            report.put("bpftoolSignatureBytes", skeleton.signature().get().length);
        }
        skeleton.exclusiveProgramHash().ifPresent(hash -> {
            report.put("exclusiveProgramHash", java.util.HexFormat.of().formatHex(hash));
            report.put("exclusiveProgramHashMatchesLoader", Arrays.equals(hash, Sha256.digest(skeleton.loaderInstructions())));
        });
        return report;
    }

    /** Each program the loader loads: type, expected attach type and BTF target from the signed metadata. */
    private static Object programLoads(byte[] loader, byte[] metadata) {
        try {
            Map<String, Object> loads = new LinkedHashMap<>();
            GenLoaderMetadata.programs(loader, metadata).forEach(load -> loads.put(load.name(), load.describe()));
            return loads;
        } catch (VerificationException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }

    private interface Check {
        void run() throws VerificationException;
    }

    private static String outcome(Check check) {
        try {
            check.run();
            return "yes";
        } catch (VerificationException e) {
            return "no: " + e.reason() + ": " + e.getMessage();
        }
    }

    private static Object signature(byte[] der) {
        try {
            SignatureInfo info = SignatureInfo.of(der);
            Map<String, Object> signature = new LinkedHashMap<>();
            signature.put("signer", info.signer());
            signature.put("digestAlgorithm", SignatureInfo.describeAlgorithm(info.digestAlgorithm()));
            signature.put("signatureAlgorithm", SignatureInfo.describeAlgorithm(info.signatureAlgorithm()));
            signature.put("signers", info.signers());
            signature.put("embeddedCertificates", info.embeddedCertificates());
            signature.put("signedAttributes", info.signedAttributes());
            return signature;
        } catch (VerificationException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }

    private static String nodeSelector(SignedBpfProgramSpec resourceSpec) {
        Map<String, String> labels = resourceSpec.getNodeSelector().getMatchLabels();
        List<String> terms = new java.util.ArrayList<>();
        if (labels != null) {
            labels.forEach((key, value) -> terms.add(key + "=" + value));
        }
        if (resourceSpec.getNodeSelector().getMatchExpressions() != null) {
            resourceSpec.getNodeSelector().getMatchExpressions().forEach(expression -> terms.add(expression.getKey() + " "
                    + expression.getOperator() + " " + expression.getValues()));
        }
        return terms.isEmpty() ? "all nodes" : String.join(", ", terms);
    }

    private static void print(PrintWriter out, Map<?, ?> report, String indent) {
        for (Map.Entry<?, ?> entry : report.entrySet()) {
            switch (entry.getValue()) {
                case Map<?, ?> nested -> {
                    out.println(indent + entry.getKey() + ":");
                    print(out, nested, indent + "  ");
                }
                case List<?> list -> out.println(indent + entry.getKey() + ": " + (list.isEmpty() ? "(none)"
                        : String.join(", ", list.stream().map(String::valueOf).toList())));
                default -> out.println(indent + entry.getKey() + ": " + entry.getValue());
            }
        }
    }
}
