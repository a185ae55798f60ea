package io.lightsout.compute.nova;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.compute.FatalComputeFault;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls of the Compute API with a Keystone token: every call carries {@code X-Auth-Token} and
 * {@code OpenStack-API-Version: compute <microversion>}, and a successful answer must echo that version. The token
 * is reused until it comes within {@code token-renew-before} of its expiry; a 401 of Nova renews it once and
 * sends the call again.
 */
final class NovaClient {

  private static final Logger LOG = LoggerFactory.getLogger(NovaClient.class);
  static final String VERSION_HEADER = "OpenStack-API-Version";

  private final NovaProperties properties;
  private final OpenStackHttp http;
  private final Keystone keystone;
  private final Clock clock;
  private final String versionValue;
  private Keystone.Token token;

  NovaClient(NovaProperties properties, Clock clock) {
    this.properties = properties;
    this.http = new OpenStackHttp(properties);
    this.keystone = new Keystone(properties, http);
    this.clock = clock;
    this.versionValue = "compute " + properties.getMicroversion().strip();
  }

  /** {@code GET}; see {@link #call}. */
  Answer get(String path, String during) {
    return call("GET", path, null, during);
  }

  /**
   * Sends the call and returns Nova's answer when it is a success or a refusal (4xx) for the caller to judge.
   *
   * @param path   below the compute endpoint, with its query, e.g. {@code /servers/detail?host=c1}
   * @param during what is being done, for fault messages, e.g. "listing the servers on host c1"
   * @throws io.lightsout.compute.TransientComputeFault when Nova or Keystone cannot be reached, times out or fails
   *                                                    (5xx, 429)
   * @throws FatalComputeFault when the credentials or the token are refused, or the microversion is not supported
   */
  Answer call(String method, String path, JsonNode body, String during) {
    Keystone.Token used = token();
    OpenStackHttp.Response response = send(used, method, path, body, during);
    if (response.answer().status() == 401) {
      LOG.info("Nova refused the token while {}; asking Keystone for a new one", during);
      used = renew(used);
      response = send(used, method, path, body, during);
      if (response.answer().status() == 401) {
        throw http.fatalFault(service(used) + " refused a fresh token of user '" + properties.getUsername()
            + "' while " + during + ": " + response.answer().quoted());
      }
    }
    Answer answer = response.answer();
    if (answer.status() == 406) {
      throw http.fatalFault(service(used) + " does not support microversion " + properties.getMicroversion()
          + " (setting lightsout.compute.nova.microversion) while " + during + ": " + answer.quoted());
    }
    if (answer.status() / 100 == 5 || answer.status() == 429) {
      throw http.transientFault(service(used) + " failed while " + during + ": " + answer.quoted(), null);
    }
    if (answer.ok()) {
      requireVersionEcho(response, used, during);
    }
    return answer;
  }

  /** The body of a successful answer; a refusal (4xx) becomes a {@link #refused} fault. See {@link #call}. */
  JsonNode success(String method, String path, JsonNode body, String during) {
    Answer answer = call(method, path, body, during);
    if (!answer.ok()) {
      throw refused(answer, during);
    }
    return answer.json();
  }

  /** A fault for a refusal of Nova (4xx), quoting its message: "Nova at ... refused {during}: 409 "..."". */
  FatalComputeFault refused(Answer answer, String during) {
    return http.fatalFault("Nova at " + computeUrl() + " refused " + during + ": " + answer.quoted());
  }

  /** A fault for an answer that is not what the API reference promises. */
  FatalComputeFault unexpected(String problem) {
    return http.fatalFault("Nova at " + computeUrl() + " " + problem);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private OpenStackHttp.Response send(Keystone.Token used, String method, String path, JsonNode body, String during) {
    URI uri = URI.create(used.computeUrl() + path);
    return http.send(http.request(uri, method, body).header("X-Auth-Token", used.value())
        .header(VERSION_HEADER, versionValue).build(), service(used), during);
  }

  private void requireVersionEcho(OpenStackHttp.Response response, Keystone.Token used, String during) {
    String echoed = response.header(VERSION_HEADER);
    if (echoed == null || !echoed.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT).equals(versionValue)) {
      throw http.fatalFault(service(used) + " did not confirm microversion " + properties.getMicroversion()
          + " while " + during + " (" + VERSION_HEADER + ": " + (echoed == null ? "missing" : echoed)
          + "); it is older than 2.27 or a proxy drops the header");
    }
  }

  private synchronized Keystone.Token token() {
    if (token == null || expiresSoon(token)) {
      token = keystone.issue();
    }
    return token;
  }

  /** A new token, unless another thread renewed the refused one meanwhile. */
  private synchronized Keystone.Token renew(Keystone.Token refused) {
    if (token == refused || token == null) {
      token = keystone.issue();
    }
    return token;
  }

  private boolean expiresSoon(Keystone.Token current) {
    return current.expiresAt() != null
        && !clock.instant().plus(properties.getTokenRenewBefore()).isBefore(current.expiresAt());
  }

  private synchronized String computeUrl() {
    return token == null ? "(no endpoint yet)" : token.computeUrl();
  }

  private static String service(Keystone.Token used) {
    return "Nova at " + used.computeUrl();
  }
}
