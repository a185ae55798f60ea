package io.lightsout.security;

import io.lightsout.startup.StartRefusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the AES-256 key for secrets at rest: {@code lightsout.secrets.key}, else the environment variable
 * {@code LIGHTSOUT_SECRET_KEY}, else the key file; creates the key file (mode 600) when allowed and nothing exists.
 */
final class SecretKeyLoader {

  static final String ENV_VARIABLE = "LIGHTSOUT_SECRET_KEY";
  private static final Logger log = LoggerFactory.getLogger(SecretKeyLoader.class);
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final SecretsProperties properties;
  private final UnaryOperator<String> environment;

  SecretKeyLoader(SecretsProperties properties, UnaryOperator<String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  SecretKey load() {
    String configured = properties.getKey();
    if (configured != null && !configured.isBlank()) {
      return decode(configured, "lightsout.secrets.key");
    }
    String fromEnvironment = environment.apply(ENV_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return decode(fromEnvironment, "environment variable " + ENV_VARIABLE);
    }
    Path file = properties.getKeyFile().toAbsolutePath();
    if (Files.exists(file)) {
      return readFile(file);
    }
    if (!properties.isGenerateKeyFile()) {
      throw new StartRefusal("no key for secrets at rest (it seals the BMC passwords): " + ENV_VARIABLE
          + " is not set and there is no key file " + file + ".",
          "Set " + ENV_VARIABLE + " to base64 of 32 random bytes (openssl rand -base64 32), the same on every "
              + "instance of this database, or provide the key file " + file + ".");
    }
    return generateFile(file);
  }

  private SecretKey readFile(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        log.warn("Key file {} for secrets at rest is readable by others ({}): restrict it with chmod 600",
            file, PosixFilePermissions.toString(permissions));
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), "key file " + file);
    } catch (IOException | UnsupportedOperationException e) {
      throw new StartRefusal("cannot read the key file " + file + " for secrets at rest ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ").",
          "Make " + file + " readable by the user running Lights-Out (owner-only, chmod 600), or set "
              + ENV_VARIABLE + " instead.");
    }
  }

  private SecretKey generateFile(Path file) {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      Files.createDirectories(file.getParent());
      Path temporary = Files.createTempFile(file.getParent(), ".secret-key", ".tmp",
          PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try {
        Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        Files.createLink(file, temporary); // never replaces a key file another instance created meanwhile
      } catch (FileAlreadyExistsException e) {
        return readFile(file);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new StartRefusal("cannot create the key file " + file + " for secrets at rest ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ").",
          "Make " + file.getParent() + " writable by the user running Lights-Out, or set " + ENV_VARIABLE + ".");
    }
    log.info("Created key file {} for secrets at rest; keep it with the database backups", file);
    return new SecretKeySpec(key, "AES");
  }

  private static SecretKey decode(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new StartRefusal("the key for secrets at rest from " + source + " is not valid base64.",
          "Give base64 of exactly " + KEY_BYTES + " random bytes (openssl rand -base64 32).");
    }
    if (key.length != KEY_BYTES) {
      throw new StartRefusal("the key for secrets at rest from " + source + " has " + key.length + " bytes.",
          "Give base64 of exactly " + KEY_BYTES + " random bytes (openssl rand -base64 32).");
    }
    return new SecretKeySpec(key, "AES");
  }
}
