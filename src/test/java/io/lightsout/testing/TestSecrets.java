package io.lightsout.testing;

import io.lightsout.security.CredentialCipher;
import io.lightsout.security.SecretsProperties;
import java.security.SecureRandom;
import java.util.Base64;

/** A {@link CredentialCipher} with a fresh random key, for tests that need sealed passwords. */
public final class TestSecrets {

  private TestSecrets() {
  }

  public static CredentialCipher cipher() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    SecretsProperties properties = new SecretsProperties();
    properties.setKey(Base64.getEncoder().encodeToString(key));
    return new CredentialCipher(properties);
  }
}
