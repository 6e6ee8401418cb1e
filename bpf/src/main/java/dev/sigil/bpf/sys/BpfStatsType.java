package dev.sigil.bpf.sys;

/** The {@code enum bpf_stats_type} values: which statistics BPF_ENABLE_STATS turns on. */
public enum BpfStatsType {
    /** Each program's run count and run time ({@code bpf_prog_info.run_cnt}, {@code run_time_ns}). */
    STATS_RUN_TIME(0);

    private final int code;

    BpfStatsType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
