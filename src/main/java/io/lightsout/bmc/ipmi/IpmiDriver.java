package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.SessionBmcDriver;
import io.lightsout.security.CredentialCipher;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Driver {@code ipmi}: IPMI 2.0 over RMCP+ (UDP, default port 623) with org.metricshub:ipmi-java. Option
 * {@code cipherSuite} (default 3: RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128).
 */
@Component
public class IpmiDriver extends SessionBmcDriver {

  static final String CIPHER_SUITE = "cipherSuite";
  private static final int IPMI_PORT = 623;
  private static final int MAX_USER_NAME_BYTES = 16;

  private final CredentialCipher cipher;
  private final IpmiClient client;

  public IpmiDriver(BmcGate gate, BmcProperties properties, CredentialCipher cipher, IpmiClient client) {
    super(gate, properties);
    this.cipher = cipher;
    this.client = client;
  }

  @Override
  public String name() {
    return "ipmi";
  }

  @Override
  protected int defaultPort() {
    return IPMI_PORT;
  }

  @Override
  protected Set<String> optionNames() {
    return Set.of(CIPHER_SUITE);
  }

  @Override
  protected void validateSpecific(BmcSettings settings) {
    if (settings.username().getBytes(StandardCharsets.UTF_8).length > MAX_USER_NAME_BYTES) {
      throw new FatalBmcFault(settings.address(), "has a username longer than IPMI's " + MAX_USER_NAME_BYTES + " bytes");
    }
    cipherSuite(settings);
  }

  @Override
  protected BmcSession openSession(BmcSettings settings) {
    String password = openPassword(cipher, settings);
    return client.open(settings.host(), settings.port(), settings.address(), settings.username(), password,
        cipherSuite(settings));
  }

  private static int cipherSuite(BmcSettings settings) {
    String value = settings.option(CIPHER_SUITE, Integer.toString(CipherSuites.DEFAULT)).strip();
    try {
      int id = Integer.parseInt(value);
      if (CipherSuites.supported(id)) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FatalBmcFault(settings.address(), "has an unsupported cipherSuite '" + value + "' (supported: "
        + CipherSuites.supportedIds() + ")");
  }
}
