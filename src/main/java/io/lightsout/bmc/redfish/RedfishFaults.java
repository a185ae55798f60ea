package io.lightsout.bmc.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.Durations;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.TransientBmcFault;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;


/**
 * Turns what a Redfish service answers, or how reaching it failed, into {@link BmcFault}s an operator understands,
 * quoting the BMC's own {@code @Message.ExtendedInfo}:
 * <ul>
 * <li>no answer in time, connection refused or lost, 429, 5xx, 409: transient (every operation reads the state before
 * it sends, so a retry cannot double an action);</li>
 * <li>a certificate that is not trusted: fatal, naming the options that fix it;</li>
 * <li>400, 403, 404, 405, 501 and other answers: fatal.</li>
 * </ul>
 */
final class RedfishFaults {

  private RedfishFaults() {
  }

  /** The fault of a request that got an answer other than 2xx; {@code what} names the request ("reset ForceOff"). */
  static BmcFault answer(String address, String what, RedfishEndpoint.Answer answer) {
    String problem = "answered " + what + " with " + answer.status() + ": " + quote(answer.body());
    int status = answer.status();
    if (status == 409 || status == 429 || status >= 500) {
      return new TransientBmcFault(address, problem);
    }
    return new FatalBmcFault(address, problem);
  }

  /** A 401 or 403 on login, or a 401 that a new session did not cure. */
  static FatalBmcFault credentials(String address, String user, RedfishEndpoint.Answer answer) {
    return new FatalBmcFault(address, "rejected the credentials of user '" + user + "' (" + answer.status() + ": "
        + quote(answer.body()) + ")");
  }

  /** A request that got no answer. */
  static BmcFault transport(String address, String what, Duration timeout, IOException e) {
    if (e instanceof HttpTimeoutException) {
      return new TransientBmcFault(address, "did not answer within " + Durations.human(timeout) + " while " + what, e);
    }
    if (e instanceof SSLHandshakeException && untrustedCertificate(e)) {
      return new FatalBmcFault(address, "presented a TLS certificate that is not trusted (" + rootMessage(e)
          + "): give the BMC's CA certificate in option caCertificate (PEM), or set verifyTls=false explicitly", e);
    }
    if (e instanceof ConnectException) {
      return new TransientBmcFault(address, "could not be reached: connection refused", e);
    }
    return new TransientBmcFault(address, "failed while " + what + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
  }

  /** The BMC's own words: the messages of {@code @Message.ExtendedInfo} with their ids, else the error's message. */
  static String quote(JsonNode body) {
    JsonNode error = body.path("error");
    List<String> messages = new ArrayList<>();
    for (JsonNode info : error.path("@Message.ExtendedInfo")) {
      String message = info.path("Message").asText("");
      String id = info.path("MessageId").asText("");
      if (!message.isEmpty() || !id.isEmpty()) {
        messages.add("\"" + message + "\"" + (id.isEmpty() ? "" : " (" + id + ")"));
      }
    }
    if (messages.isEmpty() && error.hasNonNull("message")) {
      messages.add("\"" + error.get("message").asText() + "\"" + (error.hasNonNull("code")
          ? " (" + error.get("code").asText() + ")" : ""));
    }
    return messages.isEmpty() ? "no message" : String.join("; ", messages);
  }

  /** The MessageIds of the answer's {@code @Message.ExtendedInfo} and its error code, for recognizing quirks. */
  static String messageIds(JsonNode body) {
    StringBuilder ids = new StringBuilder(body.path("error").path("code").asText(""));
    for (JsonNode info : body.path("error").path("@Message.ExtendedInfo")) {
      ids.append(' ').append(info.path("MessageId").asText(""));
    }
    return ids.toString();
  }

  private static boolean untrustedCertificate(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
          || cause instanceof CertPathBuilderException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
