package io.lightsout.security;

import io.lightsout.bmc.SealedSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (BMC passwords) with AES-256-GCM: a random 96-bit IV per secret, stored as
 * {@code v1:<base64(iv | ciphertext and tag)>}. Only drivers open them, when they log in to a BMC.
 */
@Component
public class CredentialCipher {

  private static final String PREFIX = "v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] CONTEXT = "lightsout secret v1".getBytes(StandardCharsets.US_ASCII);

  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  @Autowired
  public CredentialCipher(SecretsProperties properties) {
    this(new SecretKeyLoader(properties, System::getenv).load());
  }

  CredentialCipher(SecretKey key) {
    this.key = key;
  }

  public SealedSecret seal(String plaintext) {
    if (plaintext == null) {
      throw new IllegalArgumentException("nothing to seal: the secret is null");
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(CONTEXT);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] stored = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
      return SealedSecret.of(PREFIX + Base64.getEncoder().encodeToString(stored));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  public String open(SealedSecret secret) {
    String text = secret.ciphertext();
    if (!text.startsWith(PREFIX)) {
      throw new SecretUnreadableException("stored secret has an unknown format (expected v1:...)", null);
    }
    byte[] stored;
    try {
      stored = Base64.getDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new SecretUnreadableException("stored secret is damaged: not valid base64", null);
    }
    if (stored.length < IV_BYTES + TAG_BITS / 8) {
      throw new SecretUnreadableException("stored secret is damaged: too short", null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
      cipher.updateAAD(CONTEXT);
      byte[] plain = cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SecretUnreadableException("stored secret cannot be decrypted: it was sealed with another key"
          + " (check lightsout.secrets.key, " + SecretKeyLoader.ENV_VARIABLE + " or the key file) or altered", null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }
}
