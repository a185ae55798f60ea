package io.lightsout.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether the HTTP port is free, checked when the web server is set up: before the engine starts, so a
 * taken port costs seconds and leaves no half-started engine behind.
 */
@Component
class PortCheck implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> {

  @Override
  public void customize(ConfigurableServletWebServerFactory factory) {
    if (factory instanceof org.springframework.boot.web.server.AbstractConfigurableWebServerFactory web) {
      check(web.getAddress(), web.getPort());
    }
  }

  static void check(InetAddress address, int port) {
    if (port <= 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException taken) {
      throw new StartRefusal("port " + port + " is already in use by another process (" + taken.getMessage() + ").",
          "Stop the process listening on port " + port + " (ss -ltnp 'sport = :" + port + "') "
              + "or give Lights-Out another port with LIGHTSOUT_PORT.");
    }
  }
}
