package io.lightsout.bmc.redfish;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.SessionBmcDriver;
import io.lightsout.security.CredentialCipher;
import java.net.URI;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Driver {@code redfish}: DMTF Redfish over HTTPS (default port 443) with {@code java.net.http} and Jackson. Options:
 * {@code scheme} ({@code https} default, or {@code http}), {@code verifyTls} ({@code true} default; {@code false} only
 * when set), {@code caCertificate} (PEM: the CA the BMC's certificate is checked against instead of the JVM's),
 * {@code systemId} (default: the only member of {@code /redfish/v1/Systems}). A BMC's session is kept for the next
 * operation on it and deleted after {@code lightsout.bmc.redfish.session-idle}, after a failed operation, and at
 * shutdown ({@link KeptSessions}); the service root and systems collection are read on first contact only. See
 * {@link RedfishSession} for the quirks handled.
 */
@Component
public class RedfishDriver extends SessionBmcDriver implements DisposableBean {

  static final String SCHEME = "scheme";
  static final String VERIFY_TLS = "verifyTls";
  static final String CA_CERTIFICATE = "caCertificate";
  static final String SYSTEM_ID = "systemId";
  private static final int HTTPS_PORT = 443;
  private static final Pattern SYSTEM_ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final BmcProperties properties;
  private final CredentialCipher cipher;
  private final RedfishClients clients;
  /** Each BMC's layout (sessions path, system path) by base URI and systemId option, learned on first contact. */
  private final ConcurrentMap<String, RedfishSession.Layout> layouts = new ConcurrentHashMap<>();
  private final KeptSessions kept;

  public RedfishDriver(BmcGate gate, BmcProperties properties, CredentialCipher cipher, RedfishClients clients) {
    super(gate, properties);
    this.properties = properties;
    this.cipher = cipher;
    this.clients = clients;
    this.kept = new KeptSessions(properties.getRedfish().getSessionIdle());
  }

  /** Deletes the sessions kept open: at shutdown. */
  @Override
  public void destroy() {
    kept.close();
  }

  /** Deletes the sessions kept open now, as their idle time would. */
  void closeIdleSessions() {
    kept.closeIdle();
  }

  @Override
  public String name() {
    return "redfish";
  }

  @Override
  protected int defaultPort() {
    return HTTPS_PORT;
  }

  @Override
  protected Set<String> optionNames() {
    return Set.of(SCHEME, VERIFY_TLS, CA_CERTIFICATE, SYSTEM_ID);
  }

  @Override
  protected void validateSpecific(BmcSettings settings) {
    String address = settings.address();
    String scheme = settings.option(SCHEME, "https");
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new FatalBmcFault(address, "has an unsupported scheme '" + scheme + "' (allowed: https, http)");
    }
    String verify = settings.option(VERIFY_TLS, "true");
    if (!verify.equals("true") && !verify.equals("false")) {
      throw new FatalBmcFault(address, "has verifyTls '" + verify + "' (allowed: true, false)");
    }
    String ca = settings.option(CA_CERTIFICATE, null);
    if (ca != null) {
      try {
        clients.checkCa(ca);
      } catch (IllegalArgumentException e) {
        throw new FatalBmcFault(address, "has a caCertificate that cannot be used: " + e.getMessage());
      }
    }
    String systemId = settings.option(SYSTEM_ID, null);
    if (systemId != null && !SYSTEM_ID_PATTERN.matcher(systemId).matches()) {
      throw new FatalBmcFault(address, "has an invalid systemId '" + systemId
          + "' (letters, digits and . _ : - only, at most 128)");
    }
  }

  @Override
  protected BmcSession openSession(BmcSettings settings) {
    String password = openPassword(cipher, settings);
    // a kept session serves only the same credentials and options: the node may have been changed meanwhile
    String owner = RedfishClients.sha256(settings.username() + "\n" + password + "\n"
        + new TreeMap<>(settings.options()));
    RedfishSession reused = kept.take(settings.address(), owner);
    if (reused != null) {
      return kept.lend(settings.address(), owner, reused);
    }
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    URI base = URI.create(settings.option(SCHEME, "https") + "://" + host + ":" + settings.port());
    RedfishEndpoint endpoint = new RedfishEndpoint(
        clients.client(!"false".equals(settings.option(VERIFY_TLS, "true")), settings.option(CA_CERTIFICATE, null)),
        base, settings.address(), clients.timeout());
    String systemId = settings.option(SYSTEM_ID, null);
    String key = base + " " + systemId;
    RedfishSession session = RedfishSession.open(endpoint, settings.username(), password, systemId, properties,
        layouts.get(key), () -> layouts.remove(key));
    layouts.put(key, session.layout());
    return kept.lend(settings.address(), owner, session);
  }
}
