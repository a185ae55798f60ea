package io.lightsout.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which addresses Lights-Out may be told to contact (BMC hosts, callback URLs), judged by what the name
 * resolves to now: never link-local (169.254.0.0/16, fe80::/10, where cloud metadata services answer),
 * never a cloud metadata address, never the unspecified or a multicast address; loopback only when
 * {@code lightsout.network.allow-loopback} is true (the embedded default, for simulators on this machine;
 * off in the {@code postgres} profile). A name that does not resolve now is not judged here: it cannot
 * be contacted either, and callbacks are judged again at each delivery.
 */
@Component
public class NetworkPolicy {

  /** Metadata services reachable outside 169.254.0.0/16: AWS over IPv6, Alibaba Cloud, Azure's wire server. */
  private static final Set<String> METADATA = Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200", "168.63.129.16");

  private final boolean allowLoopback;

  public NetworkPolicy(@Value("${lightsout.network.allow-loopback:false}") boolean allowLoopback) {
    this.allowLoopback = allowLoopback;
  }

  /** Why {@code what} ("bmc.host", "callbackUrl") may not name this host, or empty when it may. */
  public Optional<String> refusal(String host, String what) {
    if (host == null || host.isBlank()) {
      return Optional.empty();
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bare.toLowerCase(Locale.ROOT));
    } catch (UnknownHostException | SecurityException unresolved) {
      return Optional.empty();
    }
    for (InetAddress address : addresses) {
      Optional<String> why = forbidden(address);
      if (why.isPresent()) {
        String resolved = address.getHostAddress().equals(bare) ? "" : " (it resolves to " + address.getHostAddress() + ")";
        return Optional.of(what + " '" + host + "'" + resolved + " is " + why.get() + ": Lights-Out does not contact it");
      }
    }
    return Optional.empty();
  }

  private Optional<String> forbidden(InetAddress address) {
    if (address.isLinkLocalAddress()) {
      return Optional.of("link-local, where cloud metadata services answer");
    }
    if (METADATA.contains(address.getHostAddress())) {
      return Optional.of("a cloud metadata address");
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return Optional.of("not the address of one host");
    }
    if (address.isLoopbackAddress() && !allowLoopback) {
      return Optional.of("loopback (this machine; allowed only with lightsout.network.allow-loopback=true)");
    }
    return Optional.empty();
  }
}
