package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The node agent's kernel probe results. */
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {"attachTypes": {"items": {"maxLength": 64}}}}
        """)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KernelCapabilities {
    @JsonPropertyDescription("Kernel release (uname -r).")
    @Size(max = 256)
    private String release;

    @JsonPropertyDescription("bpf() is usable by the agent.")
    private boolean bpfUsable;

    @JsonPropertyDescription("Maps can be made exclusive to one program hash (excl_prog_hash).")
    private boolean exclusiveMaps;

    @JsonPropertyDescription("The kernel computes map hashes, so protocol LoaderHashV1 runs natively; without it the agent uses compatibility mode.")
    private boolean mapHashes;

    @JsonPropertyDescription("In-kernel signature verification: Supported, or why not (Unsupported: EOPNOTSUPP, E2BIG, EINVAL...).")
    @Size(max = 256)
    private String signatureVerification;

    @JsonPropertyDescription("A bpffs is mounted where the agent pins.")
    private boolean bpffsMounted;

    @JsonPropertyDescription("Attach types the probe found working.")
    @Size(max = 32)
    private List<String> attachTypes = new ArrayList<>();

    public String getRelease() {
        return release;
    }

    public void setRelease(String release) {
        this.release = release;
    }

    public boolean isBpfUsable() {
        return bpfUsable;
    }

    public void setBpfUsable(boolean bpfUsable) {
        this.bpfUsable = bpfUsable;
    }

    public boolean isExclusiveMaps() {
        return exclusiveMaps;
    }

    public void setExclusiveMaps(boolean exclusiveMaps) {
        this.exclusiveMaps = exclusiveMaps;
    }

    public boolean isMapHashes() {
        return mapHashes;
    }

    public void setMapHashes(boolean mapHashes) {
        this.mapHashes = mapHashes;
    }

    public String getSignatureVerification() {
        return signatureVerification;
    }

    public void setSignatureVerification(String signatureVerification) {
        this.signatureVerification = signatureVerification;
    }

    public boolean isBpffsMounted() {
        return bpffsMounted;
    }

    public void setBpffsMounted(boolean bpffsMounted) {
        this.bpffsMounted = bpffsMounted;
    }

    public List<String> getAttachTypes() {
        return attachTypes;
    }

    public void setAttachTypes(List<String> attachTypes) {
        this.attachTypes = attachTypes;
    }
}
