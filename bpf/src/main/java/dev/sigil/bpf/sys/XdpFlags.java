package dev.sigil.bpf.sys;

/** The {@code XDP_FLAGS_*} mode bits of an XDP link ({@code include/uapi/linux/if_link.h}). */
public final class XdpFlags {
    /** Generic XDP: runs in the network stack, on any interface. */
    public static final int SKB_MODE = 1 << 1;
    /** Native XDP: runs in the driver, where the driver supports it. */
    public static final int DRV_MODE = 1 << 2;

    private XdpFlags() {
    }
}
