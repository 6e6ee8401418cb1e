package dev.sigil.bpf.sys;

/** BPF_PROG_LOAD refused a program; carries what the verifier wrote to the log buffer, if anything. */
public final class ProgramLoadException extends SyscallException {
    private final String verifierLog;

    public ProgramLoadException(int errno, String programName, String verifierLog) {
        super(BpfCommand.PROG_LOAD.cName(), errno, "program " + programName);
        this.verifierLog = verifierLog;
    }

    /** The verifier log, empty when the load ran without a log buffer or the verifier wrote nothing. */
    public String verifierLog() {
        return verifierLog;
    }
}
