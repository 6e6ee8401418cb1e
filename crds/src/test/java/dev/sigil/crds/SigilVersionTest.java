package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SigilVersionTest {
    @Test
    void isTheProjectVersionOfThisBuild() {
        assertThat(SigilVersion.current()).isEqualTo(System.getProperty("sigil.version"))
                .matches("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    }
}
