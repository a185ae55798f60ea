package io.lightsout.compute.nova;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone v3 password authentication: {@code POST /v3/auth/tokens} scoped to the project, the token from the
 * {@code X-Subject-Token} header, and the compute endpoint picked from the token's catalog by type
 * {@code compute}, interface and (when set) region.
 */
final class Keystone {

  private static final Logger LOG = LoggerFactory.getLogger(Keystone.class);

  /** A scoped token, the compute endpoint (no trailing slash) and when the token expires (null: not said). */
  record Token(String value, String computeUrl, Instant expiresAt) {

    @Override
    public String toString() {
      return "Token[computeUrl=" + computeUrl + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final NovaProperties properties;
  private final OpenStackHttp http;
  private final URI tokensUri;
  private final String service;

  Keystone(NovaProperties properties, OpenStackHttp http) {
    this.properties = properties;
    this.http = http;
    String base = properties.getAuthUrl().strip().replaceAll("/+$", "");
    this.tokensUri = URI.create((base.endsWith("/v3") ? base : base + "/v3") + "/auth/tokens");
    this.service = "Keystone at " + base;
  }

  /** Asks Keystone for a new token. */
  Token issue() {
    String during = "issuing a token for user '" + properties.getUsername() + "' (domain '"
        + properties.getUserDomain() + "') in project '" + properties.getProject() + "' (domain '"
        + properties.getProjectDomain() + "')";
    OpenStackHttp.Response response = http.send(http.request(tokensUri, "POST", passwordAuth()).build(), service,
        during);
    Answer answer = response.answer();
    if (answer.status() == 401) {
      throw http.fatalFault(service + " rejected the credentials while " + during + ": " + answer.quoted());
    }
    if (answer.status() / 100 == 5) {
      throw http.transientFault(service + " failed while " + during + ": " + answer.quoted(), null);
    }
    if (!answer.ok()) {
      throw http.fatalFault(service + " refused " + during + ": " + answer.quoted());
    }
    String token = response.header("X-Subject-Token");
    if (token == null || token.isBlank()) {
      throw http.fatalFault(service + " answered " + answer.status() + " without an X-Subject-Token header while "
          + during);
    }
    JsonNode body = answer.json().path("token");
    Token issued = new Token(token, computeUrl(body.path("catalog")),
        NovaTime.parse(body.path("expires_at").asText(null)));
    LOG.debug("Keystone issued a token for user '{}', project '{}', expiring at {}; compute endpoint {}",
        properties.getUsername(), properties.getProject(), issued.expiresAt(), issued.computeUrl());
    return issued;
  }

  private ObjectNode passwordAuth() {
    ObjectNode auth = OpenStackHttp.JSON.createObjectNode();
    ObjectNode identity = auth.putObject("auth").putObject("identity");
    identity.putArray("methods").add("password");
    ObjectNode user = identity.putObject("password").putObject("user");
    user.put("name", properties.getUsername());
    user.putObject("domain").put("name", properties.getUserDomain());
    user.put("password", properties.getPassword());
    ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
    project.put("name", properties.getProject());
    project.putObject("domain").put("name", properties.getProjectDomain());
    return auth;
  }

  private String computeUrl(JsonNode catalog) {
    String region = properties.getRegion() == null || properties.getRegion().isBlank() ? null : properties.getRegion();
    List<String> seen = new ArrayList<>();
    for (JsonNode entry : catalog) {
      if (!"compute".equals(entry.path("type").asText())) {
        continue;
      }
      for (JsonNode endpoint : entry.path("endpoints")) {
        String endpointRegion = endpoint.path("region_id").asText(endpoint.path("region").asText(""));
        String endpointInterface = endpoint.path("interface").asText("");
        seen.add(endpointInterface + "/" + endpointRegion);
        boolean regionMatches = region == null || region.equals(endpointRegion)
            || region.equals(endpoint.path("region").asText(null));
        if (regionMatches && properties.getInterface().equals(endpointInterface) && endpoint.hasNonNull("url")) {
          return endpoint.get("url").asText().strip().replaceAll("/+$", "");
        }
      }
    }
    throw http.fatalFault(service + " lists no compute endpoint with interface '" + properties.getInterface() + "'"
        + (region == null ? "" : " in region '" + region + "'") + " in the catalog of project '"
        + properties.getProject() + "' (compute endpoints: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
        + ")");
  }

  @Override
  public String toString() {
    return "Keystone[" + Objects.toString(tokensUri) + "]";
  }
}
