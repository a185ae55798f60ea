package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {

  private final NetworkPolicy strict = new NetworkPolicy(false);
  private final NetworkPolicy loopbackAllowed = new NetworkPolicy(true);

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "169.254.0.1", "169.254.255.254", "::ffff:169.254.169.254",
      "[fe80::1]", "fe80::abcd", "fd00:ec2::254", "100.100.100.200", "168.63.129.16", "0.0.0.0", "::", "224.0.0.1"})
  void linkLocalMetadataAndNonHostAddressesAreAlwaysRefused(String host) {
    assertThat(strict.refusal(host, "bmc.host")).isPresent();
    assertThat(loopbackAllowed.refusal(host, "bmc.host")).as("even with loopback allowed").isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"})
  void loopbackAndNamesThatResolveThereAreRefusedUnlessAllowed(String host) {
    assertThat(strict.refusal(host, "callbackUrl host")).get().asString().contains("loopback");
    assertThat(loopbackAllowed.refusal(host, "callbackUrl host")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "192.168.1.20", "172.16.4.4", "8.8.8.8", "2001:db8::5"})
  void ordinaryAddressesAreAllowed(String host) {
    assertThat(strict.refusal(host, "bmc.host")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost"})
  void theRefusalNamesWhatTheNameResolvedTo(String host) {
    assertThat(strict.refusal(host, "bmc.host")).get().asString().contains("resolves to");
  }
}
