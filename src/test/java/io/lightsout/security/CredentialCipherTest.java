package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightsout.bmc.SealedSecret;
import io.lightsout.testing.LogCapture;
import io.lightsout.startup.StartRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCipherTest {

  private static final String PASSWORD = "s3cret-BMC-pässword";

  @TempDir
  Path dir;

  @Test
  void sealsAndOpensWithoutShowingThePlaintext() {
    CredentialCipher cipher = new CredentialCipher(properties(dir.resolve("secret.key"), true));

    SealedSecret sealed = cipher.seal(PASSWORD);

    assertThat(cipher.open(sealed)).isEqualTo(PASSWORD);
    assertThat(sealed.ciphertext()).startsWith("v1:").doesNotContain(PASSWORD)
        .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes()));
    assertThat(sealed.toString()).isEqualTo("******");
    assertThat(cipher.seal(PASSWORD)).as("a new IV every time").isNotEqualTo(sealed);
  }

  @Test
  void detectsTamperedCiphertext() {
    CredentialCipher cipher = new CredentialCipher(properties(dir.resolve("secret.key"), true));
    byte[] stored = Base64.getDecoder().decode(cipher.seal(PASSWORD).ciphertext().substring(3));
    stored[stored.length - 1] ^= 1;
    SealedSecret tampered = SealedSecret.of("v1:" + Base64.getEncoder().encodeToString(stored));

    assertThatThrownBy(() -> cipher.open(tampered))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("sealed with another key")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> cipher.open(SealedSecret.of("v2:abc"))).isInstanceOf(SecretUnreadableException.class);
    assertThatThrownBy(() -> cipher.open(SealedSecret.of("v1:%%%"))).isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void aDifferentKeyCannotOpenIt() {
    SealedSecret sealed = new CredentialCipher(properties(dir.resolve("a.key"), true)).seal(PASSWORD);
    CredentialCipher other = new CredentialCipher(properties(dir.resolve("b.key"), true));

    assertThatThrownBy(() -> other.open(sealed))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageNotContaining(PASSWORD)
        .hasNoCause();
  }

  @Test
  void generatesAnOwnerOnlyKeyFileOnceAndLogsOnlyItsName() throws Exception {
    Path keyFile = dir.resolve("data").resolve("secret.key");
    SealedSecret sealed;
    List<String> logLines;
    try (LogCapture logs = LogCapture.start()) {
      sealed = new CredentialCipher(properties(keyFile, true)).seal(PASSWORD);
      logLines = logs.lines();
    }

    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String key = Files.readString(keyFile).strip();
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    assertThat(logLines).filteredOn(line -> line.startsWith("INFO")).hasSize(1)
        .allMatch(line -> line.contains(keyFile.toString()) && !line.contains(key));
    assertThat(new CredentialCipher(properties(keyFile, false)).open(sealed)).as("the same key, read back")
        .isEqualTo(PASSWORD);
    try (var files = Files.list(keyFile.getParent())) {
      assertThat(files).containsExactly(keyFile);
    }
  }

  @Test
  void aConfiguredKeyComesFirstThenTheEnvironment() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    SecretsProperties configured = properties(dir.resolve("unused.key"), false);
    configured.setKey(key);
    SecretsProperties none = properties(dir.resolve("unused.key"), false);

    SealedSecret sealed = new CredentialCipher(configured).seal(PASSWORD);
    CredentialCipher fromEnvironment = new CredentialCipher(
        new SecretKeyLoader(none, Map.of(SecretKeyLoader.ENV_VARIABLE, key)::get).load());

    assertThat(fromEnvironment.open(sealed)).isEqualTo(PASSWORD);
    assertThat(dir.resolve("unused.key")).doesNotExist();
  }

  @Test
  void refusesToStartWithoutAKeyWhenGeneratingIsOff() {
    SecretsProperties none = properties(dir.resolve("missing.key"), false);

    assertThatThrownBy(() -> new SecretKeyLoader(none, name -> null).load())
        .isInstanceOf(StartRefusal.class)
        .hasMessageContaining("no key for secrets at rest")
        .satisfies(e -> assertThat(((StartRefusal) e).action()).contains(SecretKeyLoader.ENV_VARIABLE));
  }

  @Test
  void aKeyOfTheWrongSizeIsRefusedWithoutShowingIt() {
    SecretsProperties shortKey = properties(dir.resolve("unused.key"), false);
    shortKey.setKey(Base64.getEncoder().encodeToString(new byte[16]));

    assertThatThrownBy(() -> new CredentialCipher(shortKey))
        .isInstanceOf(StartRefusal.class)
        .hasMessage("the key for secrets at rest from lightsout.secrets.key has 16 bytes.");
    assertThat(shortKey.toString()).doesNotContain(shortKey.getKey());
  }

  private static SecretsProperties properties(Path keyFile, boolean generate) {
    SecretsProperties properties = new SecretsProperties();
    properties.setKeyFile(keyFile);
    properties.setGenerateKeyFile(generate);
    return properties;
  }
}
