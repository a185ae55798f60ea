package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.TransientBmcFault;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.metricshub.ipmi.core.api.async.ConnectionHandle;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.coding.commands.PrivilegeLevel;
import org.metricshub.ipmi.core.common.PropertiesManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one ipmi-java connector (one UDP socket on an ephemeral port) that talks to the whole fleet, and the opening
 * of sessions on it. The library's settings are JVM-wide and read when the connector and each connection are
 * built, so they are set here, before the first connector: the answer timeout, no library-level retries (a
 * retransmitted chassis command is executed twice by some BMCs), and no keep-alive pings (sessions are short).
 */
@Component
public class IpmiClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IpmiClient.class);

  private final Duration timeout;
  private final int sessionAttempts;
  private final CallGuard guard;
  private final AtomicInteger sessionRetries = new AtomicInteger();
  private IpmiConnector connector;

  public IpmiClient(BmcProperties properties) {
    this.timeout = properties.getIpmi().getTimeout();
    this.sessionAttempts = Math.max(1, properties.getIpmi().getSessionAttempts());
    if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("lightsout.bmc.ipmi.timeout must be between 1 ms and 24 days");
    }
    // Well above the library's own timeout (which it checks every 500 ms): only a lost report trips it.
    this.guard = new CallGuard(timeout.multipliedBy(2).plusSeconds(1));
  }

  /**
   * Opens an RMCP+ session as Administrator. When the library fails its own integrity check of RAKP message 4 (a
   * defect: here about one session in a hundred when many open at once, more often on the first of a JVM) or
   * decodes an answer past the end of a buffer (rarer), tries again with a new connection and a new cipher-suite
   * object, up to {@code lightsout.bmc.ipmi.session-attempts} times. The BMC keeps the abandoned session until it
   * times it out. A rejected password is never tried again.
   */
  IpmiSession open(String host, int port, String address, String user, String password, int cipherSuite) {
    InetAddress ip = resolve(host, address);
    for (int attempt = 1; ; attempt++) {
      ConnectionHandle handle = connect(ip, port, address, cipherSuite);
      try {
        guard.call(() -> connector().openSession(handle, user, password, null));
      } catch (Exception e) {
        connector().closeConnection(handle);
        if (IpmiFaults.isSessionDefect(e) && attempt < sessionAttempts) {
          sessionRetries.incrementAndGet();
          log.debug("BMC {}: opening the session failed on a library defect ({}), attempt {} of {}",
              address, e.toString(), attempt, sessionAttempts);
          continue;
        }
        throw IpmiFaults.openingSession(address, user, cipherSuite, timeout, e);
      }
      IpmiSession session = new IpmiSession(connector(), guard, handle, address, user, timeout);
      try {
        session.raisePrivilege();
        return session;
      } catch (TransientBmcFault e) {
        session.close();
        // Raising the privilege changes nothing on the machine, so a lost answer (the library sometimes drops one
        // when many sessions are busy) is worth a new session; a refusal is not.
        if (attempt < sessionAttempts) {
          sessionRetries.incrementAndGet();
          log.debug("BMC {}: no answer to raising the session privilege, attempt {} of {}",
              address, attempt, sessionAttempts);
          continue;
        }
        throw e;
      } catch (BmcFault e) {
        session.close();
        throw e;
      }
    }
  }

  /**
   * Sessions opened again because of the library's integrity defect or a lost answer to raising the privilege (each
   * may leave a half-open session on the BMC until it times it out).
   */
  int sessionRetries() {
    return sessionRetries.get();
  }

  private ConnectionHandle connect(InetAddress ip, int port, String address, int cipherSuite) {
    try {
      ConnectionHandle handle = connector().createConnection(ip, port, CipherSuites.create(cipherSuite),
          PrivilegeLevel.Administrator);
      connector().setTimeout(handle, (int) timeout.toMillis());
      return handle;
    } catch (IOException e) {
      throw new TransientBmcFault(address, "could not be reached: " + e.getMessage(), e);
    }
  }

  private static InetAddress resolve(String host, String address) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new TransientBmcFault(address, "could not be reached: host name '" + host + "' does not resolve", e);
    }
  }

  private synchronized IpmiConnector connector() {
    if (connector == null) {
      PropertiesManager library = PropertiesManager.getInstance();
      library.setProperty("timeout", Long.toString(timeout.toMillis()));
      library.setProperty("retries", "0");
      library.setProperty("pingPeriod", "0");
      try {
        connector = new IpmiConnector(0);
      } catch (IOException e) {
        throw new IllegalStateException("cannot open a UDP socket for IPMI: " + e.getMessage(), e);
      }
      CipherSuites.warmUp();
    }
    return connector;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    guard.close();
    if (connector != null) {
      connector.tearDown();
      connector = null;
    }
  }
}
