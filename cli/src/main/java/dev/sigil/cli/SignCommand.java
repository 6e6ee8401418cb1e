package dev.sigil.cli;

import dev.sigil.api.resource.ResourceException;
import dev.sigil.api.resource.ResourceRules;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.signing.AttachHint;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {
            "Signs a light skeleton (bpftool gen skeleton -L, or -S whose own signature is replaced) under protocol "
                    + "LoaderHashV1 and writes a SignedBpfProgram resource ready for kubectl apply.",
            "Each program attaches where the skeleton says (raw tracepoints by name; tp_btf, fentry, fexit and lsm programs "
                    + "at their own BTF target) unless --attach says otherwise; an attach point the kernel would refuse "
                    + "for the program's type is an error.",
            "A signed intent (spec.intent, spec.intentSignature) binds the programs, attach points, maps, enforcement "
                    + "and required node labels exactly; --allow-attach widens an interface, cgroup path, uprobe binary or "
                    + "network namespace file to a glob.",
            "Attach points: raw_tracepoint:NAME, tp_btf:NAME, xdp:IFACE[:generic|driver], tcx:IFACE:ingress|egress, "
                    + "cgroup:/PATH:ATTACH_TYPE, fentry:FUNC, fexit:FUNC, lsm:HOOK, kprobe:FUNC, tracepoint:CATEGORY/NAME, "
                    + "uprobe:/BINARY:SYMBOL[+OFFSET][:pid=PID], uretprobe:/BINARY:SYMBOL[+OFFSET][:pid=PID], "
                    + "sk_lookup:/NETNS_FILE."
        })
final class SignCommand implements Callable<Integer> {
    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--skeleton", required = true, paramLabel = "X.lskel.h", description = "Light skeleton header made by bpftool.")
    Path skeletonFile;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key (PEM: PKCS#8 or traditional RSA/EC).")
    Path keyFile;

    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The key's certificate (PEM, with SubjectKeyIdentifier).")
    Path certFile;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "metadata.name of the resource.")
    String name;

    @Option(names = "--attach", paramLabel = "PROG=TYPE:TARGET",
            description = "Where program PROG attaches, e.g. count_sys_enter=raw_tracepoint:sys_enter (repeatable).")
    List<String> attach = new ArrayList<>();

    @Option(names = "--allow-attach", paramLabel = "PROG=TYPE:GLOB",
            description = "Sign a pattern instead of the exact target for PROG's interface, cgroup path, uprobe binary or "
                    + "network namespace file, e.g. xdp_count=xdp:eth*:generic, "
                    + "prog=cgroup:/sys/fs/cgroup/kubepods.slice/*:inet_ingress or prog=uprobe:/usr/lib/*/libc.so.6:malloc; "
                    + "'*' is any run of characters but '/', '?' one (repeatable). --attach stays the resource's value.")
    List<String> allowAttach = new ArrayList<>();

    @Option(names = "--node-selector", paramLabel = "KEY=VALUE",
            description = "Run only on nodes with this label (repeatable; all must match). Default: every node. "
                    + "Not signed: the cluster may change it.")
    List<String> nodeSelector = new ArrayList<>();

    @Option(names = "--require-node-label", paramLabel = "KEY=VALUE",
            description = "Sign that the node selector must require this label (repeatable); also added to the node selector.")
    List<String> requiredNodeLabels = new ArrayList<>();

    @Option(names = "--enforcement", paramLabel = "MODE", defaultValue = "Auto",
            description = "Auto, Kernel or Agent (default: ${DEFAULT-VALUE}); signed as the weakest the cluster may choose "
                    + "(Agent < Auto < Kernel).")
    String enforcement;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the resource here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Enforcement mode = enforcement();
        Map<String, String> required = labels(requiredNodeLabels, "--require-node-label");
        Map<String, String> selector = labels(nodeSelector, "--node-selector");
        selector.putAll(required);
        LightSkeleton skeleton = LightSkeleton.parse(skeletonFile);
        Map<String, AttachSpec> attachPoints = attachPoints(skeleton);
        SigningKey key = SigningKey.load(keyFile, certFile);
        if (skeleton.signature().isPresent()) {
            spec.commandLine().getErr().println("sigil sign: note: " + skeletonFile
                    + " carries a bpftool signature; it is replaced by a LoaderHashV1 signature over the prologued loader");
        }
        SignedBundle bundle = BundleSigner.sign(skeleton, key);
        SignedBpfProgram resource;
        try {
            resource = SignedProgramResource.build(name, skeleton, bundle, attachPoints, selector, mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
        }
        try {
            // The API's rules, as every reader of the resource applies them: e.g. a program name the kernel would cut.
            ResourceRules.require(resource);
        } catch (ResourceException e) {
            throw new CliException(CliException.USAGE, skeletonFile + ": cannot be signed as a SignedBpfProgram: "
                    + e.getMessage(), e);
        }
        IntentOptions.bind(resource.getSpec(), skeleton, bundle, key, required, allowAttach);
        String yaml = SignedProgramResource.toYaml(resource);
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(output, yaml, StandardCharsets.UTF_8);
            spec.commandLine().getErr().println("sigil sign: wrote " + output + " (" + name + ", signed by "
                    + key.certificate().getSubjectX500Principal().getName() + ", loader " + bundle.loaderHash() + ")");
        }
        return 0;
    }

    /** Defaults from the skeleton, overridden by --attach; every program must end up with one. */
    private Map<String, AttachSpec> attachPoints(LightSkeleton skeleton) {
        Map<String, AttachHint> hints = new LinkedHashMap<>(skeleton.defaultAttach());
        for (String entry : attach) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), "--attach '" + entry + "' is not PROG=TYPE:TARGET");
            }
            String program = entry.substring(0, equals);
            if (!skeleton.programNames().contains(program)) {
                throw new ParameterException(spec.commandLine(), "--attach names program '" + program + "', but skeleton "
                        + skeleton.name() + " has " + String.join(", ", skeleton.programNames()));
            }
            try {
                hints.put(program, AttachHint.parse(entry.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--attach " + entry + ": " + e.getMessage());
            }
        }
        Map<String, AttachSpec> specs = new LinkedHashMap<>();
        for (String program : skeleton.programNames()) {
            AttachHint hint = hints.get(program);
            if (hint == null) {
                throw new ParameterException(spec.commandLine(), "program '" + program + "' has no attach point: the skeleton "
                        + "names none (it names raw tracepoints and BTF targets only); give --attach " + program + "=TYPE:TARGET");
            }
            try {
                specs.put(program, AttachSpecs.toSpec(hint));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "attach point " + program + "=" + hint + ": " + e.getMessage());
            }
        }
        return specs;
    }

    private Map<String, String> labels(List<String> entries, String option) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), option + " '" + entry + "' is not KEY=VALUE");
            }
            String labelKey = entry.substring(0, equals);
            String labelValue = entry.substring(equals + 1);
            if (!LABEL_KEY.matcher(labelKey).matches() || !LABEL_VALUE.matcher(labelValue).matches()) {
                throw new ParameterException(spec.commandLine(), option + " '" + entry
                        + "' is not a Kubernetes label (KEY: [prefix/]name of up to 63 characters; VALUE: up to 63 of A-Z a-z 0-9 - _ .)");
            }
            labels.put(labelKey, labelValue);
        }
        return labels;
    }

    private Enforcement enforcement() {
        for (Enforcement mode : Enforcement.values()) {
            if (mode.name().equalsIgnoreCase(enforcement)) {
                return mode;
            }
        }
        throw new ParameterException(spec.commandLine(), "--enforcement must be Auto, Kernel or Agent, got '" + enforcement + "'");
    }
}
