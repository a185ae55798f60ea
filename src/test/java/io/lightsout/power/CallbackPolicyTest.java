package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.security.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SSRF: an allow-listed callback host that is (or resolves to) a forbidden address is still refused. */
class CallbackPolicyTest {

  private static final List<String> LISTED = List.of("169.254.169.254", "localhost", "hooks.example.net");

  @Test
  void allowListedMetadataAddressIsRefused() {
    CallbackPolicy policy = new CallbackPolicy(LISTED, new NetworkPolicy(true));

    assertThat(policy.refusal("http://169.254.169.254/latest/meta-data/")).get().asString().contains("link-local");
  }

  @Test
  void allowListedLoopbackNameIsRefusedUnlessLoopbackIsAllowed() {
    assertThat(new CallbackPolicy(LISTED, new NetworkPolicy(false)).refusal("http://localhost:8080/cb"))
        .get().asString().contains("resolves to");
    assertThat(new CallbackPolicy(LISTED, new NetworkPolicy(true)).refusal("http://localhost:8080/cb")).isEmpty();
  }

  @Test
  void hostsOffTheListAreRefusedWhateverTheyResolveTo() {
    CallbackPolicy policy = new CallbackPolicy(LISTED, new NetworkPolicy(true));

    assertThat(policy.refusal("http://10.1.2.3/cb")).get().asString().contains("allow-list");
    assertThat(policy.refusal("http://[fe80::1]/cb")).isPresent();
  }
}
