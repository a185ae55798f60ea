package io.lightsout.security;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** Where the key that encrypts secrets at rest comes from ({@code lightsout.secrets.*}). */
@Component
@ConfigurationProperties(prefix = "lightsout.secrets")
public class SecretsProperties {

  /** Base64 of 32 random bytes. When unset, the environment variable LIGHTSOUT_SECRET_KEY, then the key file. */
  private String key;

  /** File holding the key (base64 of 32 bytes) when no key is configured. */
  private Path keyFile = Path.of("data", "secret.key");

  /** Whether to create the key file (owner-only) when there is no key at all. Production sets false. */
  private boolean generateKeyFile = true;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Path getKeyFile() {
    return keyFile;
  }

  public void setKeyFile(Path keyFile) {
    this.keyFile = keyFile;
  }

  public boolean isGenerateKeyFile() {
    return generateKeyFile;
  }

  public void setGenerateKeyFile(boolean generateKeyFile) {
    this.generateKeyFile = generateKeyFile;
  }

  @Override
  public String toString() {
    return "SecretsProperties[key=" + (key == null ? "unset" : "******") + ", keyFile=" + keyFile
        + ", generateKeyFile=" + generateKeyFile + "]";
  }
}
