package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BMC addresses and callback URLs naming forbidden ranges are refused over the API (problem+json, nothing stored). */
class SsrfTest extends PostgresIntegrationTest {

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "169.254.10.10", "fe80::1", "[fe80::1]", "::ffff:169.254.169.254",
      "fd00:ec2::254", "0.0.0.0"})
  void bmcAddressesInForbiddenRangesAreRefused(String host) {
    String id = "ssrf-" + Integer.toHexString(host.hashCode());
    ApiClient.Response answer = asAdmin().post("/api/v1/nodes", Map.of("id", id,
        "bmc", Map.of("driver", "ipmi", "host", host, "username", "admin", "password", "ssrf-bmc-pw")));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("detail").asText()).contains("bmc.host", "Lights-Out does not contact it");
    assertThat(asAdmin().get("/api/v1/nodes/" + id).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/cb",
      "http://metadata.google.internal/computeMetadata/v1/"})
  void callbacksToForbiddenAddressesAreRefused(String url) {
    String node = "ssrf-cb-node";
    asAdmin().post("/api/v1/nodes", Map.of("id", node,
        "bmc", Map.of("driver", "sim", "host", "ssrf-sim", "username", "admin", "password", "ssrf-bmc-pw")));

    ApiClient.Response answer = asAdmin().post("/api/v1/nodes/" + node + "/power-requests",
        Map.of("action", "on", "callbackUrl", url));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().get("detail").asText()).contains("callback");
  }
}
