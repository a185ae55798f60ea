package io.lightsout.compute.nova;

import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Settings of the {@code nova} compute driver ({@code lightsout.compute.nova.*}). The password comes from the
 * environment ({@code LIGHTSOUT_COMPUTE_NOVA_PASSWORD}) and is never logged nor shown: {@link #toString()} omits it.
 */
@Component
@ConditionalOnProperty(name = "lightsout.compute.driver", havingValue = NovaDriver.NAME)
@ConfigurationProperties(prefix = "lightsout.compute.nova")
public class NovaProperties {

  /** The lowest microversion the driver works with: service ids are UUIDs and forced_down is set with PUT. */
  public static final String MIN_MICROVERSION = "2.53";

  /** Keystone's base URL, e.g. {@code http://controller:5000} (the driver appends {@code /v3/auth/tokens}). */
  private String authUrl;

  private String username;

  private String password;

  /** Name of the user's domain. */
  private String userDomain = "Default";

  /** Name of the project the token is scoped to. */
  private String project;

  /** Name of the project's domain. */
  private String projectDomain = "Default";

  /** Region of the compute endpoint in the catalog; any region when not set. */
  private String region;

  /** Interface of the compute endpoint in the catalog: public, internal or admin. */
  private String endpointInterface = "public";

  /** Compute API microversion sent on every call, 2.53 or later. */
  private String microversion = MIN_MICROVERSION;

  /** How long to wait for a TCP connection to Keystone or Nova. */
  private Duration connectTimeout = Duration.ofSeconds(5);

  /** How long to wait for one answer of Keystone or Nova. */
  private Duration requestTimeout = Duration.ofSeconds(30);

  /** A token is renewed when it expires sooner than this. */
  private Duration tokenRenewBefore = Duration.ofMinutes(5);

  public String getAuthUrl() {
    return authUrl;
  }

  public void setAuthUrl(String authUrl) {
    this.authUrl = authUrl;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getUserDomain() {
    return userDomain;
  }

  public void setUserDomain(String userDomain) {
    this.userDomain = userDomain;
  }

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public String getProjectDomain() {
    return projectDomain;
  }

  public void setProjectDomain(String projectDomain) {
    this.projectDomain = projectDomain;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  /** Bound from {@code lightsout.compute.nova.interface} ({@code interface} is a Java keyword). */
  public String getInterface() {
    return endpointInterface;
  }

  public void setInterface(String endpointInterface) {
    this.endpointInterface = endpointInterface;
  }

  public String getMicroversion() {
    return microversion;
  }

  public void setMicroversion(String microversion) {
    this.microversion = microversion;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Duration getTokenRenewBefore() {
    return tokenRenewBefore;
  }

  public void setTokenRenewBefore(Duration tokenRenewBefore) {
    this.tokenRenewBefore = tokenRenewBefore;
  }

  /**
   * Checks that the settings can work at all, naming each property that is missing or wrong.
   *
   * @throws IllegalStateException with every problem found
   */
  void validate() {
    StringBuilder problems = new StringBuilder();
    requireText(problems, "auth-url", authUrl);
    requireText(problems, "username", username);
    requireText(problems, "password", password);
    requireText(problems, "user-domain", userDomain);
    requireText(problems, "project", project);
    requireText(problems, "project-domain", projectDomain);
    if (endpointInterface == null || !endpointInterface.matches("public|internal|admin")) {
      problems.append("; interface must be public, internal or admin, not '").append(endpointInterface).append('\'');
    }
    if (!Microversion.atLeast(microversion, MIN_MICROVERSION)) {
      problems.append("; microversion must be ").append(MIN_MICROVERSION).append(" or later (as 2.N), not '")
          .append(microversion).append('\'');
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Settings of the nova compute driver (lightsout.compute.nova.*) are not usable: "
          + problems.substring(2));
    }
  }

  private static void requireText(StringBuilder problems, String name, String value) {
    if (value == null || value.isBlank()) {
      problems.append("; ").append(name).append(" is not set");
    }
  }

  @Override
  public String toString() {
    return "NovaProperties[authUrl=" + authUrl + ", username=" + username + ", userDomain=" + userDomain
        + ", project=" + project + ", projectDomain=" + projectDomain + ", region=" + region + ", interface="
        + endpointInterface + ", microversion=" + microversion + "]";
  }
}
