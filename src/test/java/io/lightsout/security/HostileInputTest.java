package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.PostgresIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 10's hostile-input suite: a generated corpus of malformed, oversized, injected and mistyped requests
 * against every {@code /api/v1} endpoint and the engine REST starts of {@code power-change} and {@code host-evacuation}. No answer may be a
 * {@code 5xx}; every refusal of {@code /api/v1} is problem+json with a reason; a refused request leaves the
 * Lights-Out tables as they were; no expression in any value is ever evaluated. Figures go to
 * {@code target/reliability/hostile-input.txt} (RELIABILITY.md).
 */
public class HostileInputTest extends PostgresIntegrationTest {

  /** The node the power-request calls target, one that holds and resumes, one that is updated. */
  private static final String POWER_NODE = "corpus-power";
  private static final String HOLD_NODE = "corpus-hold";
  private static final String EDIT_NODE = "corpus-edit";
  /** The compute host the host and instance calls target, on a node of its own. */
  private static final String HOST_NODE = "corpus-host-node";
  private static final String HOST = "corpus-host";
  public static final String BMC_PASSWORD = "corpus-bmc-pw";
  private static final String START_PATH = "/engine-rest/process-definition/key/power-change/start";
  private static final String BATCH_PATH = "/api/v1/power-requests";

  /** Every endpoint under test; {@code {id}} is replaced by hostile ids, bodies and query values by hostile values. */
  static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("POST", "/api/v1/nodes", null, nodeBody("corpus-new"), List.of()),
      new Endpoint("GET", "/api/v1/nodes", null, null, List.of("page", "size")),
      new Endpoint("GET", "/api/v1/nodes/{id}", EDIT_NODE, null, List.of()),
      new Endpoint("PUT", "/api/v1/nodes/{id}", EDIT_NODE, nodeBody(EDIT_NODE), List.of()),
      new Endpoint("DELETE", "/api/v1/nodes/{id}", null, null, List.of()),
      new Endpoint("POST", "/api/v1/nodes/{id}/power-requests", POWER_NODE,
          Map.of("action", "on", "reason", "corpus", "callbackUrl", "http://127.0.0.1:9/cb", "ifBusy", "queue"), List.of()),
      new Endpoint("POST", BATCH_PATH, null, new LinkedHashMap<>(Map.of("items", List.of(Map.of("nodeId", POWER_NODE,
          "action", "on", "reason", "corpus")), "callbackUrl", "http://127.0.0.1:9/cb")), List.of()),
      new Endpoint("GET", "/api/v1/power-batches/{id}", null, null, List.of("page", "size")),
      new Endpoint("GET", "/api/v1/power-requests/{id}", null, null, List.of()),
      new Endpoint("DELETE", "/api/v1/power-requests/{id}", null, null, List.of()),
      new Endpoint("GET", "/api/v1/nodes/{id}/queue", POWER_NODE, null, List.of()),
      new Endpoint("GET", "/api/v1/nodes/{id}/history", POWER_NODE, null, List.of("page", "size")),
      new Endpoint("GET", "/api/v1/holds", null, null, List.of()),
      new Endpoint("POST", "/api/v1/nodes/{id}/hold", HOLD_NODE, Map.of("reason", "corpus"), List.of()),
      new Endpoint("POST", "/api/v1/nodes/{id}/resume", HOLD_NODE, null, List.of()),
      new Endpoint("GET", "/api/v1/me", null, null, List.of()),
      new Endpoint("POST", "/api/v1/hosts", null, new LinkedHashMap<>(Map.of("id", "corpus-host-new", "node", HOST_NODE,
          "capacity", 2)), List.of()),
      new Endpoint("GET", "/api/v1/hosts", null, null, List.of("page", "size")),
      new Endpoint("GET", "/api/v1/hosts/{id}", HOST, null, List.of()),
      new Endpoint("PUT", "/api/v1/hosts/{id}", HOST, new LinkedHashMap<>(Map.of("capacity", 4, "state", "up")), List.of()),
      new Endpoint("DELETE", "/api/v1/hosts/{id}", null, null, List.of()),
      new Endpoint("POST", "/api/v1/instances", null, new LinkedHashMap<>(Map.of("id", "corpus-vm-new", "host", HOST,
          "size", 1)), List.of()),
      new Endpoint("GET", "/api/v1/instances", null, null, List.of("host", "page", "size")),
      new Endpoint("GET", "/api/v1/instances/{id}", null, null, List.of()),
      new Endpoint("DELETE", "/api/v1/instances/{id}", null, null, List.of()),
      new Endpoint("POST", "/api/v1/hosts/{id}/evacuations", null, Map.of("reason", "corpus"), List.of()),
      new Endpoint("GET", "/api/v1/evacuations", null, null, List.of("host", "status", "page", "size")),
      new Endpoint("GET", "/api/v1/evacuations/{id}", null, null, List.of()),
      new Endpoint("POST", "/engine-rest/process-definition/key/host-evacuation/start", null, Map.of("variables",
          new LinkedHashMap<>(Map.of("hostId", variable("corpus-absent"), "reason", variable("corpus")))), List.of()),
      new Endpoint("POST", START_PATH, null, Map.of("variables", new LinkedHashMap<>(Map.of(
          "nodeId", variable(POWER_NODE), "action", variable("on"), "reason", variable("corpus"),
          "ifBusy", variable("queue"), "idempotencyKey", variable("k"), "callbackUrl", variable("http://127.0.0.1:9/cb")))),
          List.of()));

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  HistoryService history;

  record Endpoint(String method, String path, String id, Map<String, Object> body, List<String> query) {}

  private record Case(Endpoint endpoint, String path, String contentType, String body, Map<String, String> headers,
                      String what) {}

  private final List<String> failures = new ArrayList<>();
  private final Map<String, Integer> perEndpoint = new TreeMap<>();
  private final Map<Integer, Integer> perStatus = new TreeMap<>();
  private final Map<String, String> acceptedReasons = new LinkedHashMap<>();
  private int serverErrors;
  private long seconds;
  private final List<String> slowest = new ArrayList<>();

  @Test
  void aWrongMethodIsA405ProblemNamingTheAllowedOnesAndNoWarningInTheLog() {
    try (LogCapture logs = LogCapture.start()) {
      for (List<String> call : List.of(List.of("PATCH", "/api/v1/nodes/corpus-nobody"), List.of("GET", BATCH_PATH),
          List.of("PUT", "/api/v1/holds"), List.of("DELETE", "/api/v1/nodes/corpus-nobody/queue"))) {
        ApiClient.Response answer = asAdmin().send(call.get(0), call.get(1), null, Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(405);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
        assertThat(answer.json().path("detail").asText()).as(answer.toString()).contains(call.get(0), "not supported");
        assertThat(answer.header("Allow")).as(answer.toString()).isNotBlank().doesNotContain(call.get(0));
      }
      assertThat(logs.lines()).as("a caller's wrong method is not worth a warning")
          .noneMatch(line -> line.startsWith("WARN org.springframework.web"));
    }
  }

  @Test
  void anEngineRestCallNamingNothingIsA404AndOneLackingAValueA400WithoutAWarning() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("POST /engine-rest/task/corpus-nothing/complete", 404);
    expected.put("POST /engine-rest/task/corpus-nothing/claim", 404);
    expected.put("GET /engine-rest/task/corpus-nothing/variables", 404);
    expected.put("GET /engine-rest/process-instance/corpus-nothing/variables", 404);
    expected.put("PUT /engine-rest/process-instance/corpus-nothing/variables/x", 404);
    expected.put("POST /engine-rest/execution/corpus-nothing/signal", 404);
    expected.put("POST /engine-rest/process-definition/corpus-nothing/start", 404);
    expected.put("POST /engine-rest/external-task/corpus-nothing/complete", 400);
    expected.put("PUT /engine-rest/job/corpus-nothing/duedate", 404);
    expected.put("PUT /engine-rest/job/corpus-nothing/retries", 400);
    expected.put("PUT /engine-rest/job-definition/corpus-nothing/retries", 400);
    expected.put("POST /engine-rest/process-definition/key/power-change/restart", 400);
    expected.put("PUT /engine-rest/job/corpus-nothing/retries -1", 400);
    expected.put("PUT /engine-rest/job-definition/corpus-nothing/retries -1", 400);
    expected.put("POST /engine-rest/condition", 400);
    expected.put("GET /engine-rest/task/corpus-nothing/deployed-form", 404);
    expected.put("POST /engine-rest/execution/corpus-nothing/messageSubscriptions/m/trigger", 404);
    expected.put("PUT /engine-rest/process-definition/corpus-nothing/suspended", 404);
    try (LogCapture logs = LogCapture.start()) {
      expected.forEach((call, status) -> {
        String[] words = call.split(" ");
        Map<String, Object> body = words.length > 2 ? Map.of("retries", Integer.parseInt(words[2])) : Map.of();
        ApiClient.Response answer = asAdmin().send(words[0], words[1], words[0].equals("GET") ? null : body, Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.json().path("message").asText()).as(answer.toString()).isNotBlank();
      });
      assertThat(logs.lines()).as("a caller's mistake is not worth a warning")
          .noneMatch(line -> line.startsWith("WARN org.camunda.bpm.engine.rest"));
    }
  }

  @Test
  void noHostileRequestGetsA5xxChangesDataWhenRefusedOrEvaluatesAnExpression() throws Exception {
    for (String node : List.of(POWER_NODE, HOLD_NODE, EDIT_NODE, HOST_NODE)) {
      int status = asAdmin().post("/api/v1/nodes", nodeBody(node)).status();
      assertThat(status).as("create " + node).isIn(201, 409);
    }
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", HOST, "node", HOST_NODE, "capacity", 4)).status())
        .as("create " + HOST).isIn(201, 409);
    List<Case> corpus = corpus();
    String before = snapshot();
    long started = System.nanoTime();
    for (Case c : corpus) {
      long one = System.nanoTime();
      before = check(c, send(c), before);
      long millis = (System.nanoTime() - one) / 1_000_000;
      if (millis > 200) {
        slowest.add(millis + " ms " + c.endpoint().method() + " " + abbreviate(c.path()) + " [" + abbreviate(c.what()) + "]");
      }
    }
    seconds = (System.nanoTime() - started) / 1_000_000_000L;
    writeFigures(corpus.size());

    assertThat(corpus.size()).as("corpus size").isGreaterThanOrEqualTo(2_000);
    assertThat(failures).as(failures.size() + " of " + corpus.size() + " hostile requests misbehaved").isEmpty();
    assertThat(serverErrors).isZero();
    assertThat(history.createHistoricVariableInstanceQuery().variableName(HostileCorpus.CANARY).count())
        .as("variables set by an evaluated expression").isZero();
    acceptedReasons.forEach((id, sent) -> assertThat(asAdmin().get("/api/v1/power-requests/" + id).json()
        .get("reason").asText()).as("reason of " + id + " stored verbatim").isEqualTo(sent));
    assertThat(acceptedReasons).as("accepted requests with an expression as reason, checked").hasSizeGreaterThan(3);
  }

  private List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    for (Endpoint e : ENDPOINTS) {
      String path = e.id() == null ? e.path().replace("{id}", "corpus-absent") : e.path().replace("{id}", e.id());
      if (e.path().contains("{id}")) {
        for (String id : pathIds()) {
          cases.add(new Case(e, e.path().replace("{id}", encode(id)), json(e), bodyText(e.body()), Map.of(), "id " + id));
        }
      }
      for (String parameter : e.query()) {
        for (String value : queryValues()) {
          cases.add(new Case(e, path + "?" + parameter + "=" + encode(value), null, null, Map.of(),
              parameter + "=" + value));
        }
      }
      if (e.body() == null) {
        continue;
      }
      for (String field : HostileCorpus.fieldPaths(e.body())) {
        for (Object value : values()) {
          cases.add(new Case(e, path, "application/json",
              HostileCorpus.write(HostileCorpus.with(e.body(), field, value, false)), Map.of(), field + "=" + value));
        }
        cases.add(new Case(e, path, "application/json", HostileCorpus.write(HostileCorpus.with(e.body(), field, null,
            true)), Map.of(), "without " + field));
        cases.add(new Case(e, path, "application/json", HostileCorpus.duplicated(e.body(), field), Map.of(),
            "twice " + field));
      }
      for (String body : HostileCorpus.bodies()) {
        cases.add(new Case(e, path, "application/json", body, Map.of(), "body " + abbreviate(body)));
      }
      for (String type : HostileCorpus.CONTENT_TYPES) {
        cases.add(new Case(e, path, type, bodyText(e.body()), Map.of(), "content type " + type));
      }
      cases.add(new Case(e, path, null, bodyText(e.body()), Map.of(), "no content type"));
    }
    Endpoint submit = ENDPOINTS.get(5);
    for (String key : HostileCorpus.STRINGS) {
      cases.add(new Case(submit, submit.path().replace("{id}", POWER_NODE), "application/json",
          "{\"action\":\"off\",\"reason\":\"idempotency\"}", Map.of("Idempotency-Key", headerSafe(key)), "key " + key));
    }
    cases.addAll(batchItemCases());
    cases.addAll(engineVariableCases());
    return cases;
  }

  /** Hostile values inside a batch's item (the generic cases replace the whole list) and hostile batch keys. */
  private List<Case> batchItemCases() {
    Endpoint batch = ENDPOINTS.stream().filter(e -> e.path().equals(BATCH_PATH)).findFirst().orElseThrow();
    Map<String, Object> item = new LinkedHashMap<>(Map.of("nodeId", POWER_NODE, "action", "on", "reason", "corpus",
        "ifBusy", "queue", "callbackUrl", "http://127.0.0.1:9/cb"));
    List<Case> cases = new ArrayList<>();
    for (String field : HostileCorpus.fieldPaths(item)) {
      for (Object value : values()) {
        cases.add(new Case(batch, BATCH_PATH, "application/json", HostileCorpus.write(Map.of("items",
            List.of(HostileCorpus.with(item, field, value, false)))), Map.of(), "item " + field + "=" + value));
      }
    }
    for (String key : HostileCorpus.STRINGS) {
      cases.add(new Case(batch, BATCH_PATH, "application/json", HostileCorpus.write(Map.of("items", List.of(item))),
          Map.of("Idempotency-Key", headerSafe(key)), "batch key " + key));
    }
    return cases;
  }

  /** Variables over engine REST that try the engine itself: Java serialization, XML entities, bad typed values. */
  private List<Case> engineVariableCases() {
    Endpoint start = ENDPOINTS.get(ENDPOINTS.size() - 1);
    String serialized = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5, 't', 0, 1, 'x'});
    List<Map<String, Object>> attacks = List.of(
        Map.of("value", serialized, "type", "Object", "valueInfo", Map.of("objectTypeName", "java.lang.String",
            "serializationDataFormat", "application/x-java-serialized-object")),
        Map.of("value", "{\"@class\":\"java.net.URL\",\"x\":1}", "type", "Object", "valueInfo", Map.of(
            "objectTypeName", "java.net.URL", "serializationDataFormat", "application/json")),
        Map.of("value", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "type", "Xml"),
        Map.of("value", "[".repeat(3_000), "type", "Json"),
        Map.of("value", "abc", "type", "Integer"),
        Map.of("value", "not a date", "type", "Date"),
        Map.of("value", "${1+1}", "type", "Bytes"),
        Map.of("value", "x", "type", "File", "valueInfo", Map.of("filename", "../../../etc/passwd")),
        Map.of("value", "x", "type", "NoSuchType"));
    List<Case> cases = new ArrayList<>();
    for (String name : List.of("nodeId", "action", "reason", "callbackUrl", "requestId")) {
      for (Map<String, Object> attack : attacks) {
        cases.add(new Case(start, START_PATH, "application/json",
            HostileCorpus.write(HostileCorpus.with(start.body(), "variables." + name, attack, false)), Map.of(),
            name + " as " + attack.get("type")));
      }
    }
    for (String key : HostileCorpus.STRINGS) {
      Map<String, Object> body = new LinkedHashMap<>(start.body());
      body.put("businessKey", key);
      cases.add(new Case(start, START_PATH, "application/json", HostileCorpus.write(body), Map.of(), "businessKey " + key));
    }
    return cases;
  }

  /** Checks one answer; the database snapshot after it. */
  private String check(Case c, HttpResponse<String> answer, String before) {
    int status = answer.statusCode();
    perEndpoint.merge(c.endpoint().method() + " " + c.endpoint().path(), 1, Integer::sum);
    perStatus.merge(status, 1, Integer::sum);
    String label = c.endpoint().method() + " " + abbreviate(c.path()) + " [" + abbreviate(c.what()) + "] -> " + status;
    if (status >= 500) {
      serverErrors++;
      failures.add(label + " " + abbreviate(answer.body()));
      return snapshot();
    }
    if (answer.body() != null && answer.body().contains(BMC_PASSWORD)) {
      failures.add(label + " shows the BMC password");
    }
    boolean api = c.path().startsWith("/api/");
    if (api && status >= 400) {
      String type = answer.headers().firstValue("Content-Type").orElse("");
      JsonNode problem = parse(answer.body());
      if (!type.startsWith("application/problem+json") || problem == null || problem.path("detail").asText().isBlank()) {
        failures.add(label + " is not problem+json with a reason: " + type + " " + abbreviate(answer.body()));
      }
    }
    boolean accepted = status < 300 && !"GET".equals(c.endpoint().method()) && !rejectedStart(c, answer);
    if (accepted) {
      cleanUp(c, answer);
      return snapshot();
    }
    String after = snapshot();
    if (!after.equals(before)) {
      failures.add(label + " was refused but changed the database");
    }
    return after;
  }

  /** An engine REST start whose join was refused ends at once ("ended": true), as the domain API answers 4xx. */
  private static boolean rejectedStart(Case c, HttpResponse<String> answer) {
    JsonNode started = parse(answer.body());
    return c.path().equals(START_PATH) && started != null && started.path("ended").asBoolean(false);
  }

  /**
   * An accepted power request is cancelled at once, so the node's queue never fills, and awaited until final,
   * so that its callback row is written before the next refused request is checked.
   */
  private void cleanUp(Case c, HttpResponse<String> answer) {
    String requestId = null;
    JsonNode body = parse(answer.body());
    if (c.path().equals(BATCH_PATH)) {
      if (body != null) {
        body.path("items").path("items").forEach(item -> cancel(item.path("request").path("id").asText(null)));
      }
      return;
    }
    if (c.path().equals(START_PATH) && body != null) {
      requestId = jdbc.queryForList("SELECT id FROM lo_power_request WHERE process_instance_id = ?", String.class,
          body.path("id").asText()).stream().findFirst().orElse(null);
    } else if (c.path().endsWith("/power-requests") && body != null) {
      requestId = body.path("id").asText();
      JsonNode sent = parse(c.body());
      if (sent != null && sent.path("reason").asText().matches("(?s).*[$#]\\{.*") && answer.statusCode() == 202) {
        acceptedReasons.put(requestId, sent.path("reason").asText());
      }
    }
    cancel(requestId);
  }

  private void cancel(String requestId) {
    if (requestId != null) {
      asAdmin().delete("/api/v1/power-requests/" + requestId);
      awaitFinal(requestId);
    }
  }

  private void awaitFinal(String requestId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status = asAdmin().get("/api/v1/power-requests/" + requestId).json().path("status").asText();
      if (List.of("succeeded", "failed", "cancelled", "merged", "superseded").contains(status)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    failures.add("request " + requestId + " did not end within 30 s");
  }

  /** Row counts of the Lights-Out tables and a digest of the corpus nodes' settings and holds. */
  private String snapshot() {
    return jdbc.queryForObject("SELECT (SELECT count(*) FROM lo_node) || '/' || (SELECT count(*) FROM lo_power_request)"
        + " || '/' || (SELECT count(*) FROM lo_callback) || '/' || (SELECT count(*) FROM lo_review) || '/' ||"
        + " (SELECT count(*) FROM lo_host) || '/' || (SELECT count(*) FROM lo_instance) || '/' ||"
        + " (SELECT count(*) FROM lo_evacuation) || '/' ||"
        + " (SELECT md5(string_agg(concat_ws('|', id, name, bmc_driver, bmc_host, bmc_port, bmc_username,"
        + " bmc_password_sealed, bmc_options, hold_reason), ',' ORDER BY id)) FROM lo_node WHERE id LIKE 'corpus-%')",
        String.class);
  }

  private HttpResponse<String> send(Case c) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path()))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .method(c.endpoint().method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.UTF_8));
    if (c.contentType() != null) {
      request.header("Content-Type", c.contentType());
    }
    c.headers().forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void writeFigures(int size) throws IOException {
    StringBuilder text = new StringBuilder("hostile requests: " + size + " in " + seconds + " s\n5xx answers: " + serverErrors
        + "\nmisbehaving answers: " + failures.size() + "\nby status: " + perStatus + "\nby endpoint:\n");
    perEndpoint.forEach((endpoint, count) -> text.append("  ").append(endpoint).append(": ").append(count).append('\n'));
    failures.forEach(failure -> text.append("FAILED ").append(failure).append('\n'));
    slowest.forEach(slow -> text.append("SLOW ").append(slow).append('\n'));
    Path figures = Path.of("target", "reliability", "hostile-input.txt");
    Files.createDirectories(figures.getParent());
    Files.writeString(figures, text.toString().replaceAll("\\p{Cs}", "?"));
    System.out.println(text);
  }

  private static List<Object> values() {
    List<Object> values = new ArrayList<>(HostileCorpus.STRINGS);
    values.addAll(HostileCorpus.WRONG_TYPES);
    values.add(null);
    return values;
  }

  private static List<String> pathIds() {
    List<String> ids = new ArrayList<>(HostileCorpus.STRINGS.stream().filter(s -> !s.isEmpty() && s.length() < 5_000)
        .toList());
    ids.addAll(List.of("..", ".", "%2e%2e", "..;", "a/../../actuator", "00000000-0000-0000-0000-000000000000"));
    return ids;
  }

  private static List<String> queryValues() {
    List<String> values = new ArrayList<>(List.of("-1", "0", "501", "2147483647", "-2147483648", "9999999999999",
        "1.5", "0x10", "NaN", "", "abc"));
    HostileCorpus.STRINGS.stream().filter(s -> s.length() < 300).limit(20).forEach(values::add);
    return values;
  }

  private static String json(Endpoint e) {
    return e.body() == null ? null : "application/json";
  }

  private static String bodyText(Map<String, Object> body) {
    return body == null ? null : HostileCorpus.write(body);
  }

  /** Header values cannot carry line breaks or NUL; the HTTP client refuses them before they leave. */
  private static String headerSafe(String value) {
    String safe = value.replaceAll("[^\\x20-\\x7e]", "_");
    return safe.isEmpty() ? "_" : safe;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...(" + text.length() + ")";
  }

  private static Map<String, Object> variable(String value) {
    return new LinkedHashMap<>(Map.of("value", value, "type", "String"));
  }

  private static Map<String, Object> nodeBody(String id) {
    Map<String, Object> bmc = new LinkedHashMap<>();
    bmc.put("driver", "sim");
    bmc.put("host", "sim-" + id);
    bmc.put("port", 623);
    bmc.put("username", "admin");
    bmc.put("password", BMC_PASSWORD);
    bmc.put("options", new LinkedHashMap<>(Map.of("latencyMs", "0")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("name", "corpus node");
    body.put("bmc", bmc);
    return body;
  }
}
