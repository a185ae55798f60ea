package io.lightsout.bmc;

import java.util.Objects;

/**
 * A secret (a BMC password) as stored at rest: only its ciphertext. Only
 * {@link io.lightsout.security.CredentialCipher} turns it back into plaintext, inside a driver.
 */
public final class SealedSecret {

  private final String ciphertext;

  private SealedSecret(String ciphertext) {
    this.ciphertext = ciphertext;
  }

  /** Wraps a ciphertext as produced by {@code CredentialCipher.seal}, e.g. read back from the database. */
  public static SealedSecret of(String ciphertext) {
    if (ciphertext == null || ciphertext.isBlank()) {
      throw new IllegalArgumentException("sealed secret is empty");
    }
    return new SealedSecret(ciphertext);
  }

  /** The versioned ciphertext, safe to store: {@code v1:<base64>}. */
  public String ciphertext() {
    return ciphertext;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedSecret that && ciphertext.equals(that.ciphertext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ciphertext);
  }

  @Override
  public String toString() {
    return "******";
  }
}
