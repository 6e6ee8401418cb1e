package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed pieces of one BPF program and where it should run. Size limits keep the whole
 * object well under etcd's 1.5 MiB request limit.
 */
public class SignedBpfProgramSpec {
    /** Base64 of 256 KiB: far beyond any light-skeleton loader, small enough for etcd. */
    public static final int MAX_LOADER_BASE64 = 349_528;
    /** Base64 of 768 KiB of metadata (programs, maps, BTF, initial data). */
    public static final int MAX_METADATA_BASE64 = 1_048_576;
    public static final int MAX_SIGNATURE_BASE64 = 16_384;
    public static final int MAX_PROGRAMS = 64;
    public static final int MAX_MAPS = 64;

    @Required
    @Size(min = 1, max = MAX_LOADER_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Signed loader program (BPF_PROG_TYPE_SYSCALL instructions, protocol prologue included), base64.")
    private String loader;

    @Required
    @Size(min = 1, max = MAX_METADATA_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Metadata blob the loader reads (programs, maps, BTF, initial data), base64.")
    private String metadata;

    @Required
    @Pattern("^sha256:[0-9a-f]{64}$")
    @JsonPropertyDescription("SHA-256 of the metadata blob, as 'sha256:' followed by 64 lowercase hex digits; the signed loader embeds it.")
    private String hash;

    @Required
    @Size(min = 1, max = MAX_SIGNATURE_BASE64)
    @Pattern("^[A-Za-z0-9+/]*={0,2}$")
    @JsonPropertyDescription("Detached CMS/PKCS#7 SignedData (DER, base64) over the signed loader instructions; no certificates, no signed attributes, signer named by SubjectKeyIdentifier.")
    private String signature;

    @Default("LoaderHashV1")
    @JsonPropertyDescription("Signed-loader protocol the pieces follow. LoaderHashV1: the loader checks the metadata map's hash (Linux 6.18).")
    private Protocol protocol = Protocol.LoaderHashV1;

    @Required
    @Size(min = 1, max = MAX_PROGRAMS)
    @JsonPropertyDescription("The programs the loader creates, in skeleton order, each with where to attach it.")
    private List<ProgramSpec> programs = new ArrayList<>();

    @Size(max = MAX_MAPS)
    @JsonPropertyDescription("The maps the loader creates, in skeleton order.")
    private List<MapSpec> maps = new ArrayList<>();

    @JsonPropertyDescription("Nodes that should run the program. Empty or absent selects every Linux node.")
    private LabelSelector nodeSelector;

    @Default("Auto")
    @JsonPropertyDescription("Who enforces the signature on a node: Kernel (the kernel checks it; refused where unsupported), Agent (the node agent's own check), or Auto (Kernel where the node's probe says it works, else Agent).")
    private Enforcement enforcement = Enforcement.Auto;

    public String getLoader() {
        return loader;
    }

    public void setLoader(String loader) {
        this.loader = loader;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public String getSignature() {
        return signature;
    }

    public void setSignature(String signature) {
        this.signature = signature;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public List<ProgramSpec> getPrograms() {
        return programs;
    }

    public void setPrograms(List<ProgramSpec> programs) {
        this.programs = programs;
    }

    public List<MapSpec> getMaps() {
        return maps;
    }

    public void setMaps(List<MapSpec> maps) {
        this.maps = maps;
    }

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public Enforcement getEnforcement() {
        return enforcement;
    }

    public void setEnforcement(Enforcement enforcement) {
        this.enforcement = enforcement;
    }
}
