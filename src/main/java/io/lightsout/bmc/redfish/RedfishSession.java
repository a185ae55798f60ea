package io.lightsout.bmc.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.Durations;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.Pause;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.TransientBmcFault;
import io.lightsout.bmc.redfish.RedfishEndpoint.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redfish session with one BMC: a session of its SessionService (X-Auth-Token, deleted on close), or Basic
 * authentication when it has none; the system found once; {@code PowerState} read and {@code ComputerSystem.Reset}
 * sent with the quirks met in the field:
 * <ul>
 * <li>a request answered 401 during the session opens a new session and is sent once more (the BMC dropped the old
 * session); a second 401 is the credentials;</li>
 * <li>{@code PowerState} null, {@code Unknown}, {@code Reset} (seen right after resets) is read again;
 * {@code PoweringOn}/{@code PoweringOff} mean "not there yet" and stop resends;</li>
 * <li>a reset answered 409 is judged by reading: already in (or on the way to) the target state is done; otherwise it
 * is a conflict that passes (iDRAC's ActionParameterValueConflict right after a power-off), sent again until
 * {@code resend-after};</li>
 * <li>202 with a task monitor is accepted: the outcome is judged by {@code PowerState}, like every other answer.</li>
 * </ul>
 */
final class RedfishSession implements BmcSession {

  private static final Logger log = LoggerFactory.getLogger(RedfishSession.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE_ROOT = "/redfish/v1";
  /** Reads of a {@code PowerState} that says nothing (null, Unknown, Reset) before answering {@code unknown}. */
  private static final int UNCLEAR_READS = 5;

  private final RedfishEndpoint endpoint;
  private final String address;
  private final String user;
  private final String password;
  private final BmcProperties timing;
  private String sessions;
  private String token;
  private String sessionUri;
  private String system;
  private String resetTarget;
  private List<String> allowedResetTypes;
  private String actionInfo;
  private String powerState;
  private Runnable forget;

  private RedfishSession(RedfishEndpoint endpoint, String user, String password, BmcProperties timing) {
    this.endpoint = endpoint;
    this.address = endpoint.address();
    this.user = user;
    this.password = password;
    this.timing = timing;
  }

  /**
   * Where a BMC keeps its sessions (null: it has no session service) and the system to drive: found from the service
   * root once, then remembered, so that an operation needs no more than its session and the system.
   */
  record Layout(String sessions, String system) {
  }

  /**
   * Logs in (or settles for Basic) and finds the system: the one named {@code systemId}, or the only one; with a
   * known layout, straight to login and system. {@code forget} is called when the BMC no longer matches that layout.
   */
  static RedfishSession open(RedfishEndpoint endpoint, String user, String password, String systemId,
                             BmcProperties timing, Layout known, Runnable forget) {
    RedfishSession session = new RedfishSession(endpoint, user, password, timing);
    session.forget = forget; // also for a session kept after discovery: the next operation builds on what it found
    try {
      if (known != null) {
        if (known.sessions() != null && !session.login(known.sessions())) {
          forget.run();
        }
        session.system = known.system();
        return session;
      }
      JsonNode root = session.get(SERVICE_ROOT, "reading the service root", false);
      String sessions = root.path("Links").path("Sessions").path("@odata.id").asText(null);
      if (sessions == null && root.has("SessionService")) {
        sessions = SERVICE_ROOT + "/SessionService/Sessions";
      }
      if (sessions != null) {
        session.login(sessions);
      }
      session.system = session.findSystem(root.path("Systems").path("@odata.id").asText(SERVICE_ROOT + "/Systems"),
          systemId);
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** What this session found out about the BMC, for the next one. */
  Layout layout() {
    return new Layout(sessions, system);
  }

  @Override
  public PowerState read() {
    for (int attempt = 1; ; attempt++) {
      JsonNode system = get(this.system, "reading the power state", true);
      learnResetAction(system.path("Actions").path("#ComputerSystem.Reset"));
      JsonNode state = system.get("PowerState");
      powerState = state == null || state.isNull() ? null : state.asText();
      PowerState mapped = switch (String.valueOf(powerState)) {
        case "On", "PoweringOff" -> PowerState.ON;
        case "Off", "PoweringOn" -> PowerState.OFF;
        default -> null;
      };
      if (mapped != null) {
        log.debug("BMC {} reports PowerState {}", address, powerState);
        return mapped;
      }
      if (attempt >= UNCLEAR_READS) {
        return PowerState.UNKNOWN;
      }
      log.debug("BMC {} reports PowerState {}: reading again", address, powerState);
      Pause.sleep(timing.getVerifyPollInterval(), address);
    }
  }

  @Override
  public boolean inTransition() {
    return "PoweringOn".equals(powerState) || "PoweringOff".equals(powerState);
  }

  @Override
  public void send(ChassisCommand command) {
    String type = resetType(command);
    String what = "reset " + type;
    ObjectNode body = JSON.createObjectNode().put("ResetType", type);
    long deadline = System.nanoTime() + timing.getResendAfter().toNanos();
    while (true) {
      Answer answer = call("POST", resetTarget, body, what);
      if (answer.status() == 202) {
        log.debug("BMC {} took {} as a task ({}): judged by PowerState", address, what,
            answer.header("Location").orElse("no task monitor"));
        return;
      }
      if (answer.ok()) {
        return;
      }
      if (answer.status() != 409) {
        throw RedfishFaults.answer(address, what, answer);
      }
      read();
      if (reachedOrUnderway(command)) {
        log.info("BMC {} answered {} with 409 ({}) and reports {}: nothing more to send", address, what,
            RedfishFaults.quote(answer.body()), powerState);
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TransientBmcFault(address, "answered " + what + " with 409 for "
            + Durations.human(timing.getResendAfter()) + ": " + RedfishFaults.quote(answer.body()));
      }
      log.debug("BMC {} answered {} with 409 ({}) and reports {}: sending again", address, what,
          RedfishFaults.quote(answer.body()), powerState);
      Pause.sleep(timing.getVerifyPollInterval(), address);
    }
  }

  /** Deletes the session, if there is one; never throws (a session it could not delete times out on the BMC). */
  @Override
  public void close() {
    if (sessionUri == null) {
      return;
    }
    String uri = sessionUri;
    sessionUri = null;
    try {
      Answer answer = endpoint.send("DELETE", uri, null, authentication(), "closing the session");
      if (!answer.ok()) {
        log.warn("BMC {}: deleting session {} answered {}: {}", address, uri, answer.status(),
            RedfishFaults.quote(answer.body()));
      }
    } catch (BmcFault e) {
      log.warn("{}; the session {} stays until the BMC times it out", e.getMessage(), uri);
    } finally {
      token = null;
    }
  }

  /** Opens a session; false when the BMC has no session service (then Basic authentication it is). */
  private boolean login(String sessions) {
    ObjectNode credentials = JSON.createObjectNode().put("UserName", user).put("Password", password);
    Answer answer = endpoint.send("POST", sessions, credentials, Map.of(), "opening a session");
    int status = answer.status();
    if (status == 404 || status == 405 || status == 501) {
      log.debug("BMC {} has no session service ({}): Basic authentication", address, status);
      return false;
    }
    if (status == 401 || status == 403) {
      throw RedfishFaults.credentials(address, user, answer);
    }
    if (status == 503 || status == 429) {
      throw new TransientBmcFault(address, "refused a new session with " + status + ": "
          + RedfishFaults.quote(answer.body()) + " (too many sessions open on it; retry later)");
    }
    if (!answer.ok()) {
      throw RedfishFaults.answer(address, "opening a session", answer);
    }
    this.sessions = sessions;
    sessionUri = answer.header("Location").orElse(answer.body().path("@odata.id").asText(null));
    token = answer.header("X-Auth-Token").orElseThrow(() -> new FatalBmcFault(address,
        "opened a session without an X-Auth-Token header"));
    return true;
  }

  private String findSystem(String collection, String systemId) {
    List<String> members = new ArrayList<>();
    for (JsonNode member : get(collection, "listing the systems", true).path("Members")) {
      members.add(member.path("@odata.id").asText().replaceAll("/+$", ""));
    }
    List<String> ids = members.stream().map(m -> m.substring(m.lastIndexOf('/') + 1)).toList();
    if (systemId != null) {
      int i = ids.indexOf(systemId);
      if (i < 0) {
        throw new FatalBmcFault(address, "has no system '" + systemId + "' (option systemId; its systems: "
            + String.join(", ", ids) + ")");
      }
      return members.get(i);
    }
    if (members.size() == 1) {
      return members.get(0);
    }
    throw new FatalBmcFault(address, members.isEmpty() ? "lists no systems under " + collection
        : "has several systems (" + String.join(", ", ids) + "): set option systemId to the one to drive");
  }

  private void learnResetAction(JsonNode action) {
    resetTarget = action.path("target").asText(null);
    if (action.has("ResetType@Redfish.AllowableValues")) {
      allowedResetTypes = new ArrayList<>();
      action.get("ResetType@Redfish.AllowableValues").forEach(value -> allowedResetTypes.add(value.asText()));
    } else {
      actionInfo = action.path("@Redfish.ActionInfo").asText(null);
    }
  }

  /** The reset type for a command, checked against what the BMC allows (when it says). */
  private String resetType(ChassisCommand command) {
    if (resetTarget == null) {
      read();
    }
    if (resetTarget == null) {
      throw new FatalBmcFault(address, "offers no ComputerSystem.Reset action on " + system);
    }
    List<String> wanted = switch (command) {
      case POWER_ON -> List.of("On", "ForceOn");
      case POWER_OFF -> List.of("ForceOff");
      case HARD_RESET -> List.of("ForceRestart");
      case SOFT_OFF -> List.of("GracefulShutdown");
    };
    List<String> allowed = allowedResetTypes();
    if (allowed == null) {
      return wanted.get(0);
    }
    return wanted.stream().filter(allowed::contains).findFirst().orElseThrow(() -> new FatalBmcFault(address,
        "does not allow " + command.description() + " (ResetType " + String.join(" or ", wanted) + "); it allows: "
            + String.join(", ", allowed)));
  }

  /** The allowable reset types, from the action itself or its {@code @Redfish.ActionInfo}; null when not stated. */
  private List<String> allowedResetTypes() {
    if (allowedResetTypes == null && actionInfo != null) {
      for (JsonNode parameter : get(actionInfo, "reading the reset action's parameters", true).path("Parameters")) {
        if ("ResetType".equals(parameter.path("Name").asText()) && parameter.has("AllowableValues")) {
          allowedResetTypes = new ArrayList<>();
          parameter.get("AllowableValues").forEach(value -> allowedResetTypes.add(value.asText()));
        }
      }
    }
    return allowedResetTypes;
  }

  private boolean reachedOrUnderway(ChassisCommand command) {
    return switch (command) {
      case POWER_ON -> "On".equals(powerState) || "PoweringOn".equals(powerState);
      case POWER_OFF, SOFT_OFF -> "Off".equals(powerState) || "PoweringOff".equals(powerState);
      case HARD_RESET -> false;
    };
  }

  private JsonNode get(String path, String what, boolean authenticated) {
    Answer answer = authenticated ? call("GET", path, null, what)
        : endpoint.send("GET", path, null, Map.of(), what);
    if (answer.status() == 404 && path.equals(system) && forget != null) {
      forget.run();
      throw new TransientBmcFault(address, "no longer has system " + path + " (found earlier): it is looked up again "
          + "on the next attempt");
    }
    if (!answer.ok()) {
      throw RedfishFaults.answer(address, what + " (GET " + path + ")", answer);
    }
    return answer.body();
  }

  /** An authenticated request; a 401 in a session opens a new one and tries once more, then it is the credentials. */
  private Answer call(String method, String path, JsonNode body, String what) {
    Answer answer = endpoint.send(method, path, body, authentication(), what);
    if (answer.status() == 401 && sessions != null) {
      log.info("BMC {} no longer knows session {} (401 while {}): opening a new one", address, sessionUri, what);
      token = null;
      sessionUri = null;
      login(sessions);
      answer = endpoint.send(method, path, body, authentication(), what);
    }
    if (answer.status() == 401) {
      throw RedfishFaults.credentials(address, user, answer);
    }
    return answer;
  }

  private Map<String, String> authentication() {
    if (token != null) {
      return Map.of("X-Auth-Token", token);
    }
    return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }
}
