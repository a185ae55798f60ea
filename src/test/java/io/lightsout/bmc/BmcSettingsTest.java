package io.lightsout.bmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BmcSettingsTest {

  private final SealedSecret password = SealedSecret.of("v1:c2VjcmV0LWNpcGhlcnRleHQ=");

  @Test
  void neverShowsThePasswordNorItsCiphertext() {
    BmcSettings settings = new BmcSettings("ipmi", "10.0.0.5", 623, "admin", password, Map.of("cipherSuite", "3"));

    assertThat(settings.toString())
        .isEqualTo("BmcSettings[driver=ipmi, address=10.0.0.5:623, username=admin, password=******, options={cipherSuite=3}]")
        .doesNotContain(password.ciphertext());
    assertThat(password.toString()).isEqualTo("******");
  }

  @Test
  void addressIsHostAndPort() {
    assertThat(new BmcSettings("ipmi", "10.0.0.5", 9001, "a", password, null).address()).isEqualTo("10.0.0.5:9001");
    assertThat(new BmcSettings("ipmi", "fd00::5", 623, "a", password, null).address()).isEqualTo("[fd00::5]:623");
    assertThat(new BmcSettings("ipmi", "bmc-7", null, "a", password, null).address()).isEqualTo("bmc-7");
    assertThat(new BmcSettings("ipmi", "bmc-7", null, "a", password, null).withDefaultPort(623).address())
        .isEqualTo("bmc-7:623");
  }

  @Test
  void optionsAreACopy() {
    Map<String, String> options = new HashMap<>(Map.of("cipherSuite", "3"));
    BmcSettings settings = new BmcSettings("ipmi", "h", 623, "a", password, options);
    options.put("cipherSuite", "17");

    assertThat(settings.option("cipherSuite", "x")).isEqualTo("3");
    assertThat(settings.option("latencyMs", "0")).isEqualTo("0");
  }
}
