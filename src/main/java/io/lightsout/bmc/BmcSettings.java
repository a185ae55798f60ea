package io.lightsout.bmc;

import java.util.Map;
import java.util.TreeMap;

/**
 * How to reach and log in to one node's BMC. The password stays sealed: drivers open it when they need it.
 *
 * @param driver   name of the driver, e.g. {@code ipmi} or {@code sim}
 * @param host     host name or IP address of the BMC
 * @param port     UDP/TCP port, or null for the driver's default
 * @param username BMC user
 * @param password sealed BMC password
 * @param options  driver-specific options, e.g. {@code cipherSuite} for ipmi
 */
public record BmcSettings(String driver, String host, Integer port, String username, SealedSecret password,
              Map<String, String> options) {

  public BmcSettings {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** These settings with the given port when none is set. */
  public BmcSettings withDefaultPort(int defaultPort) {
    return port != null ? this : new BmcSettings(driver, host, defaultPort, username, password, options);
  }

  /** The BMC's address as operators write it: {@code host:port} ({@code [v6]:port} for IPv6), or the host alone. */
  public String address() {
    String h = host != null && host.contains(":") ? "[" + host + "]" : host;
    return port == null ? h : h + ":" + port;
  }

  /** An option's value, or the fallback when it is not set. */
  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  @Override
  public String toString() {
    return "BmcSettings[driver=" + driver + ", address=" + address() + ", username=" + username
        + ", password=" + (password == null ? "none" : "******") + ", options=" + new TreeMap<>(options) + "]";
  }
}
