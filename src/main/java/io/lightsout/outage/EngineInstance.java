package io.lightsout.outage;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This engine instance's identity: which instance owns a running request, and whose heartbeat is whose.
 * It must be the same across restarts, so that a start after an unclean stop is recognized:
 * {@code lightsout.instance-id} if set, otherwise host name and HTTP port (random only when the port is).
 */
@Component
public class EngineInstance {

  private final String id;

  EngineInstance(@Value("${lightsout.instance-id:}") String configured, @Value("${server.port:8080}") int port) {
    this.id = !configured.isBlank() ? configured : port != 0 ? hostName() + "-" + port : generated();
  }

  public String id() {
    return id;
  }

  private static String generated() {
    return hostName() + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
