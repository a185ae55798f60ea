package io.lightsout.bmc.redfish;

import io.lightsout.bmc.BmcProperties;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.springframework.stereotype.Component;

/**
 * The HTTP clients of the redfish driver, one per kind of TLS trust (the JVM's CAs, no verification, or one per CA
 * certificate), shared by all BMCs of that trust. Each keeps its connections to a BMC open between operations, so
 * that a power change costs no new TCP or TLS handshake.
 */
@Component
public class RedfishClients {

  private final Duration timeout;
  private final ConcurrentMap<String, HttpClient> clients = new ConcurrentHashMap<>();

  public RedfishClients(BmcProperties properties) {
    this.timeout = properties.getRedfish().getTimeout();
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("lightsout.bmc.redfish.timeout must be positive");
    }
  }

  /** How long a BMC may take to accept a connection, and then to answer each request. */
  Duration timeout() {
    return timeout;
  }

  /** The client for this trust: {@code verify} false trusts anything; a CA (PEM) replaces the JVM's CAs. */
  HttpClient client(boolean verify, String caCertificate) {
    if (!verify) {
      return clients.computeIfAbsent("unverified", key -> build(RedfishTls::unverified));
    }
    if (caCertificate == null || caCertificate.isBlank()) {
      return clients.computeIfAbsent("jvm", key -> build(RedfishClients::jvmDefault));
    }
    return clients.computeIfAbsent(caKey(caCertificate), key -> build(() -> RedfishTls.trusting(caCertificate)));
  }

  /**
   * Checks that a CA (PEM) can be used, as every operation does before it starts; throws
   * {@link IllegalArgumentException} saying why not. A CA that already has its client is not parsed again: parsing
   * costs the JDK four exceptions of its own each time (it tries PKCS#7 first).
   */
  void checkCa(String caCertificate) {
    if (!clients.containsKey(caKey(caCertificate))) {
      RedfishTls.certificates(caCertificate);
    }
  }

  private static String caKey(String caCertificate) {
    return "ca:" + sha256(caCertificate.strip());
  }

  private HttpClient build(Supplier<SSLContext> tls) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        // the driver only calls send() and reads whole small bodies: the client's own steps run in the thread that
        // completes them (its selector thread or the caller) instead of being handed to a pool thread each time;
        // measured: about a tenth less app CPU per Redfish cycle (BENCHMARKS.md, Redfish section)
        .executor(Runnable::run)
        .sslContext(tls.get())
        .build();
  }

  private static SSLContext jvmDefault() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
