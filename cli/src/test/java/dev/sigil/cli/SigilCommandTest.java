package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SigilCommandTest {

    @Test
    void helpListsTheCommands() {
        Sigil.Run run = Sigil.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: sigil", "keygen", "sign", "verify", "inspect", "agent");
    }

    @Test
    void versionIsTheBuildsVersion() {
        assertThat(Sigil.run("--version")).isEqualTo(new Sigil.Run(0, "sigil " + System.getProperty("sigil.version") + "\n", ""));
    }

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(Sigil.run()).isEqualTo(new Sigil.Run(2, "",
                "sigil: a command is required: keygen, sign, verify, inspect or agent (see sigil --help)\n"));
    }

    @Test
    void anUnknownCommandIsAUsageErrorOnOneLine() {
        Sigil.Run run = Sigil.run("sing");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sigil: Unmatched argument at index 0: 'sing'").hasLineCount(1);
    }
}
