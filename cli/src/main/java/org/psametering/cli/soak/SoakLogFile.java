package org.psametering.cli.soak;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the run's logs to a file instead of the terminal: a soak makes the meters and the head-end log every fault they
 * ride out, which would bury the report, yet those lines are exactly what explains a failure afterwards.
 */
final class SoakLogFile {
    private SoakLogFile() {
    }

    static void redirectTo(Path file) {
        redirectJavaUtilLogging(file.resolveSibling("paho.log"));
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: leave its configuration alone
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("SOAK");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Level.WARN);
        context.getLogger("org.psametering").setLevel(Level.INFO);
    }

    /** Paho logs through java.util.logging (to stderr by default); its warnings go to a file of their own. */
    private static void redirectJavaUtilLogging(Path file) {
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        try {
            java.util.logging.FileHandler handler = new java.util.logging.FileHandler(file.toString());
            handler.setFormatter(new java.util.logging.SimpleFormatter());
            root.addHandler(handler);
        } catch (java.io.IOException e) {
            // without the file Paho's warnings are dropped, which only costs diagnostics
        }
    }
}
