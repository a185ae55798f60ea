package io.lightsout.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event of the JVM, down to DEBUG, while open: to assert what must never be logged. */
public final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Level previousLevel = root.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture() {
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /**
   * Each event as text: level, logger, formatted message and stack trace. Copied under the appender's own lock
   * ({@code AppenderBase.doAppend} is synchronized on it): other threads may log meanwhile.
   */
  public List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::render).toList();
    }
  }

  private static String render(ILoggingEvent event) {
    String text = event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
    return event.getThrowableProxy() == null ? text : text + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previousLevel);
    appender.stop();
  }
}
