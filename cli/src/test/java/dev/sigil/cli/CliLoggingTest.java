package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(CliLogging.class);
    }

    @Test
    void sendsWarningsAndErrorsOnlyToStandardError() {
        LoggerContext context = new LoggerContext();

        Configurator.ExecutionStatus status = new CliLogging().configure(context);

        assertThat(status).as("logback's XML configurators are not consulted").isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.sigil.bpf").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("dev.sigil.bpf").isWarnEnabled()).isTrue();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).singleElement().isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.err");
            assertThat(appender.isStarted()).isTrue();
        });
    }

    @Test
    void leavesAnExplicitConfigurationFileToLogback() {
        LoggerContext context = new LoggerContext();
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "process-logback.xml");
        try {
            assertThat(new CliLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }
}
