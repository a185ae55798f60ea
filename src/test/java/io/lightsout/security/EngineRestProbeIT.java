package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

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
 * sub-resources it leads to), made once against a Lights-Out of its own with ids that name nothing and an empty
 * JSON body, as a caller with a typo would: none may answer {@code 5xx}, and none may log a WARN. Figures go to
 * {@code target/reliability/engine-rest-probe.txt} (RELIABILITY.md).
 */
class EngineRestProbeIT {

  private static final String ADMIN_PASSWORD = "probe-admin-Pw9";
  private static final String NOTHING = "probe-nothing";

  @TempDir
  java.nio.file.Path workDir;

  @Test
  void noEngineRestCallNamingNothingAnswers5xxOrLogsAWarning() throws IOException {
    Set<String> calls = engineRestCalls();
    assertThat(calls).as("calls read from the engine REST interfaces").hasSizeGreaterThan(400)
        .contains("GET /task/{id}/deployed-form", "PUT /job/{id}/retries", "POST /process-definition/key/{key}/start");

    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> serverErrors = new ArrayList<>();
    String console;
    try (AppProcess app = AppProcess.start(workDir, AppEnvironment.onFreshDatabase(ADMIN_PASSWORD),
        "--lightsout.monitor.enabled=false", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key"))
        .awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      int consoleBefore = app.console().length();
      for (String call : calls) {
        String method = call.substring(0, call.indexOf(' '));
        String path = "/engine-rest" + call.substring(call.indexOf(' ') + 1).replaceAll("\\{[^}]+}", NOTHING);
        ApiClient.Response answer = admin.send(method, path, method.equals("GET") ? null : "{}", Map.of());
        byStatus.merge(answer.status(), 1, Integer::sum);
        if (answer.status() >= 500) {
          serverErrors.add(call + " -> " + answer.status() + " " + answer.body());
        }
      }
      sleepQuietly(1000); // the console is read by a pump thread: the last call's log lines are in by now
      console = app.console().substring(consoleBefore);
    }
    List<String> warnings = console.lines().filter(line -> line.contains(" WARN ")).toList();
    writeFigures(calls.size(), byStatus, serverErrors, warnings);

    assertThat(serverErrors).as(serverErrors.size() + " of " + calls.size() + " calls answered 5xx").isEmpty();
    assertThat(warnings).as("a caller's mistake is not worth a warning").isEmpty();
  }

  /** "METHOD /path/{param}" of every resource method reachable from the root of the default engine's REST API. */
  private static Set<String> engineRestCalls() {
    Set<String> calls = new TreeSet<>();
    collect(DefaultProcessEngineRestServiceImpl.class, "", calls, 0);
    return calls;
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

  private static void writeFigures(int calls, Map<Integer, Integer> byStatus, List<String> serverErrors,
      List<String> warnings) throws IOException {
    StringBuilder text = new StringBuilder("engine REST calls: " + calls + " (ids '" + NOTHING + "', body {})\n"
        + "by status: " + byStatus + "\n5xx answers: " + serverErrors.size() + "\nWARN lines: " + warnings.size()
        + "\n");
    serverErrors.forEach(error -> text.append("5XX ").append(error).append('\n'));
    warnings.forEach(warning -> text.append("WARN ").append(warning).append('\n'));
    java.nio.file.Path out = java.nio.file.Path.of("target", "reliability", "engine-rest-probe.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
  }
}
