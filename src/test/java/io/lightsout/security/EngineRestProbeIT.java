package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camunda.bpm.engine.rest.impl.DefaultProcessEngineRestServiceImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call of Camunda's engine REST API, read from its own JAX-RS resources (the default engine's root and the
 * sub-resources it leads to), made against a Lights-Out of its own with an empty JSON body, as a caller with a typo or
 * a missing value would: once with ids that name nothing, once on objects that exist. None may answer {@code 5xx},
 * and none may log a WARN. Figures go to
 * {@code target/reliability/engine-rest-probe.txt} (RELIABILITY.md).
 */
class EngineRestProbeIT {

  private static final String ADMIN_PASSWORD = "probe-admin-Pw9";
  private static final String NOTHING = "probe-nothing";

  @TempDir
  java.nio.file.Path workDir;

  @Test
  void noEngineRestCallAnswers5xxOrLogsAWarningForIdsNamingNothingOrObjectsThatExist() throws IOException {
    List<String> calls = engineRestCalls();
    assertThat(calls).as("calls read from the engine REST interfaces").hasSizeGreaterThan(400)
        .contains("GET /task/{id}/deployed-form", "PUT /job/{id}/retries", "POST /process-definition/key/{key}/start");

    Map<String, Map<Integer, Integer>> byStatus = new TreeMap<>();
    List<String> serverErrors = new ArrayList<>();
    String console;
    try (AppProcess app = AppProcess.start(workDir, AppEnvironment.onFreshDatabase(ADMIN_PASSWORD),
        "--lightsout.monitor.enabled=false", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key"))
        .awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      int consoleBefore = app.console().length();
      probe(admin, calls, Map.of(), byStatus.computeIfAbsent("ids naming nothing", pass -> new TreeMap<>()),
          serverErrors);
      // the same calls on objects that exist, the reads first and the deletes last
      probe(admin, calls, existingObjects(admin), byStatus.computeIfAbsent("objects that exist",
          pass -> new TreeMap<>()), serverErrors);
      // Admin's "create user" and "create group" with an id outside the engine's pattern (letters and digits)
      for (ApiClient.Response refused : List.of(
          admin.post("/engine-rest/user/create", Map.of("profile", Map.of("id", "jane-doe", "firstName", "Jane",
              "lastName", "Doe", "email", "jane@example.org"), "credentials", Map.of("password", "jane-Doe-pw1"))),
          admin.post("/engine-rest/group/create", Map.of("id", "night-shift", "name", "Night shift")))) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("is not a valid resource identifier");
      }
      sleepQuietly(1000); // the console is read by a pump thread: the last call's log lines are in by now
      console = app.console().substring(consoleBefore);
    }
    List<String> warnings = console.lines().filter(line -> line.contains(" WARN ")).toList();
    writeFigures(calls.size(), byStatus, serverErrors, warnings);

    assertThat(serverErrors).as(serverErrors.size() + " of " + 2 * calls.size() + " calls answered 5xx").isEmpty();
    assertThat(warnings).as("a caller's mistake is not worth a warning").isEmpty();
  }

  /**
   * Each call once with an empty JSON body (none for GET): a path parameter {@code {id}} after a resource named in
   * {@code existing} is that object's id, every other parameter an id that names nothing.
   */
  private static void probe(ApiClient admin, List<String> calls, Map<String, String> existing,
      Map<Integer, Integer> byStatus, List<String> serverErrors) {
    for (String call : calls) {
      String method = call.substring(0, call.indexOf(' '));
      String[] segments = call.substring(call.indexOf(' ') + 1).split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].startsWith("{")) {
          segments[i] = segments[i].equals("{id}") ? existing.getOrDefault(segments[i - 1], NOTHING) : NOTHING;
        }
      }
      String path = "/engine-rest" + String.join("/", segments);
      ApiClient.Response answer = admin.send(method, path, method.equals("GET") ? null : "{}", Map.of());
      byStatus.merge(answer.status(), 1, Integer::sum);
      if (answer.status() >= 500) {
        serverErrors.add(method + " " + path + " -> " + answer.status() + " " + answer.body());
      }
    }
  }

  /**
   * Objects for the second pass, by the resource that names them: a power request's process instance waiting behind
   * a hold (and its execution), a task of its own, the power-change definition and its deployment, one of its job
   * definitions, a user, a group and the Tasklist filter.
   */
  private static Map<String, String> existingObjects(ApiClient admin) {
    assertThat(admin.post("/api/v1/nodes?check=false", Map.of("id", "probe-node", "bmc", Map.of("driver", "ipmi",
        "host", "127.0.0.1", "port", 9, "username", "probe", "password", "probe-bmc-pw"))).status()).isEqualTo(201);
    assertThat(admin.post("/api/v1/nodes/probe-node/hold", Map.of("reason", "probe")).status()).isEqualTo(200);
    ApiClient.Response request = admin.post("/api/v1/nodes/probe-node/power-requests", Map.of("action", "on"));
    assertThat(request.status()).as(request.toString()).isEqualTo(202);
    String instance = request.json().get("processInstanceId").asText();
    assertThat(admin.post("/engine-rest/task/create", Map.of("id", "probetask", "name", "probe")).status())
        .isEqualTo(204);
    JsonNode definition = admin.get("/engine-rest/process-definition/key/power-change").json();
    String jobDefinition = admin.get("/engine-rest/job-definition?processDefinitionKey=power-change").json()
        .get(0).get("id").asText();
    assertThat(admin.post("/engine-rest/user/create", Map.of("profile", Map.of("id", "probeuser", "firstName", "Pro",
        "lastName", "Be", "email", "probe@example.org"), "credentials", Map.of("password", "probe-User-pw1")))
        .status()).isEqualTo(204);
    assertThat(admin.post("/engine-rest/group/create", Map.of("id", "probegroup", "name", "probe")).status())
        .isEqualTo(204);
    String filter = admin.get("/engine-rest/filter").json().get(0).get("id").asText();
    return Map.of("process-instance", instance, "execution", instance, "task", "probetask",
        "process-definition", definition.get("id").asText(), "deployment", definition.get("deploymentId").asText(),
        "job-definition", jobDefinition, "user", "probeuser", "group", "probegroup", "filter", filter);
  }

  /** "METHOD /path/{param}" of every resource method reachable from the root of the default engine's REST API. */
  private static List<String> engineRestCalls() {
    Set<String> calls = new TreeSet<>();
    collect(DefaultProcessEngineRestServiceImpl.class, "", calls, 0);
    List<String> byMethod = new ArrayList<>(calls);
    byMethod.sort(Comparator.comparingInt(call -> List.of("GET", "POST", "PUT", "DELETE")
        .indexOf(call.substring(0, call.indexOf(' ')))));
    return byMethod;
  }

  private static void collect(Class<?> resource, String prefix, Set<String> calls, int depth) {
    for (Method method : resource.getMethods()) {
      Path path = method.getAnnotation(Path.class);
      String full = path == null ? prefix : prefix + (path.value().startsWith("/") ? "" : "/") + path.value();
      String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST"
          : method.isAnnotationPresent(PUT.class) ? "PUT" : method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
      if (verb != null) {
        calls.add(verb + " " + full);
      } else if (path != null && method.getReturnType().isInterface() && depth < 8) {
        collect(method.getReturnType(), full, calls, depth + 1); // a sub-resource locator
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void writeFigures(int calls, Map<String, Map<Integer, Integer>> byStatus, List<String> serverErrors,
      List<String> warnings) throws IOException {
    StringBuilder text = new StringBuilder("engine REST calls: " + calls + ", each with ids naming nothing ('" + NOTHING
        + "') and on objects that exist, body {}\nby status: " + byStatus + "\n5xx answers: " + serverErrors.size()
        + "\nWARN lines: " + warnings.size() + "\n");
    serverErrors.forEach(error -> text.append("5XX ").append(error).append('\n'));
    warnings.forEach(warning -> text.append("WARN ").append(warning).append('\n'));
    java.nio.file.Path out = java.nio.file.Path.of("target", "reliability", "engine-rest-probe.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
  }
}
