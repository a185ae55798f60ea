package io.lightsout.power;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.lightsout.security.NetworkPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where callbacks may go: http(s) URLs whose host is on {@code lightsout.callbacks.allowed-hosts}
 * (host or host:port), and whose address {@link NetworkPolicy} allows (never link-local or cloud metadata).
 * The list is empty by default, so no request reaches an arbitrary internal address.
 */
@Component
public class CallbackPolicy {

  private final List<String> allowedHosts;
  private final NetworkPolicy network;

  CallbackPolicy(@Value("${lightsout.callbacks.allowed-hosts:}") List<String> allowedHosts, NetworkPolicy network) {
    this.network = network;
    this.allowedHosts = allowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty())
        .map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Why this URL is refused, or empty when it is allowed (or absent). */
  public Optional<String> refusal(String url) {
    if (url == null) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("callbackUrl is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return Optional.of("callbackUrl must be an absolute http or https URL");
    }
    if (uri.getUserInfo() != null) {
      return Optional.of("callbackUrl must not carry credentials");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (allowedHosts.contains(host) || uri.getPort() != -1 && allowedHosts.contains(host + ":" + uri.getPort())) {
      // an allowed name may still resolve to a forbidden address (metadata, loopback): judged at every check
      return network.refusal(host, "callbackUrl host");
    }
    return Optional.of("callback host '" + host + "' is not on the allow-list (lightsout.callbacks.allowed-hosts)");
  }
}
