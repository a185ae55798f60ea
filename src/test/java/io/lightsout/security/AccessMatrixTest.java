package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.outage.Reviews;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 10's access matrix: anonymous, viewer, operator and admin against every endpoint of the API, the
 * engine REST API, the webapps and the actuator. Each cell gets a fresh object to act on; only the allowed
 * cells may succeed (2xx), the others must be refused (401 anonymous; 401, 403 or 404 authenticated). The matrix
 * goes to {@code target/reliability/access-matrix.md} (RELIABILITY.md). To cover a new endpoint, add a row.
 */
class AccessMatrixTest extends PostgresIntegrationTest {

  enum Role { ANONYMOUS, VIEWER, OPERATOR, ADMIN }

  private static final Set<Role> EVERYONE = Set.of(Role.values());
  private static final Set<Role> READERS = Set.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN);
  private static final Set<Role> ACTORS = Set.of(Role.OPERATOR, Role.ADMIN);
  private static final Set<Role> ADMINS = Set.of(Role.ADMIN);
  private static final AtomicInteger NEXT = new AtomicInteger();

  @Autowired
  Reviews reviews;

  @Autowired
  TaskService tasks;

  /** A row: what is called (the fixture makes what it acts on, as admin) and who may. */
  record Row(String name, String method, Function<AccessMatrixTest, String> path,
             Function<AccessMatrixTest, Object> body, Set<Role> allowed) {}

  static final List<Row> ROWS = List.of(
      new Row("who am I", "GET", t -> "/api/v1/me", t -> null, READERS),
      new Row("list nodes", "GET", t -> "/api/v1/nodes", t -> null, READERS),
      new Row("read a node", "GET", t -> "/api/v1/nodes/" + t.node(), t -> null, READERS),
      new Row("create a node", "POST", t -> "/api/v1/nodes", t -> nodeBody("matrix-new-" + NEXT.incrementAndGet()), ACTORS),
      new Row("update a node", "PUT", t -> "/api/v1/nodes/" + t.node(), t -> nodeBody(null), ACTORS),
      new Row("delete a node", "DELETE", t -> "/api/v1/nodes/" + t.node(), t -> null, ACTORS),
      new Row("start a power request", "POST", t -> "/api/v1/nodes/" + t.heldNode() + "/power-requests",
          t -> Map.of("action", "on"), ACTORS),
      new Row("read a power request", "GET", t -> "/api/v1/power-requests/" + t.queuedRequest(), t -> null, READERS),
      new Row("cancel a power request", "DELETE", t -> "/api/v1/power-requests/" + t.queuedRequest(), t -> null, ACTORS),
      new Row("read a queue", "GET", t -> "/api/v1/nodes/" + t.node() + "/queue", t -> null, READERS),
      new Row("read a history", "GET", t -> "/api/v1/nodes/" + t.node() + "/history", t -> null, READERS),
      new Row("list holds", "GET", t -> "/api/v1/holds", t -> null, READERS),
      new Row("hold a queue", "POST", t -> "/api/v1/nodes/" + t.node() + "/hold", t -> Map.of("reason", "matrix"), ACTORS),
      new Row("resume a queue", "POST", t -> "/api/v1/nodes/" + t.heldNode() + "/resume", t -> null, ACTORS),
      new Row("list hosts", "GET", t -> "/api/v1/hosts", t -> null, READERS),
      new Row("read a host", "GET", t -> "/api/v1/hosts/" + t.host(), t -> null, READERS),
      new Row("create a host", "POST", t -> "/api/v1/hosts", t -> Map.of("id", "matrix-host-" + NEXT.incrementAndGet(),
          "node", t.node(), "capacity", 1), ACTORS),
      new Row("change a host", "PUT", t -> "/api/v1/hosts/" + t.host(), t -> Map.of("state", "up"), ACTORS),
      new Row("delete a host", "DELETE", t -> "/api/v1/hosts/" + t.host(), t -> null, ACTORS),
      new Row("list instances", "GET", t -> "/api/v1/instances?host=" + t.host(), t -> null, READERS),
      new Row("create an instance", "POST", t -> "/api/v1/instances", t -> Map.of("id", "matrix-vm-" + NEXT.incrementAndGet(),
          "host", t.host()), ACTORS),
      new Row("delete an instance", "DELETE", t -> "/api/v1/instances/" + t.instance(), t -> null, ACTORS),
      new Row("start an evacuation", "POST", t -> "/api/v1/hosts/" + t.host() + "/evacuations", t -> Map.of(), ACTORS),
      new Row("list evacuations", "GET", t -> "/api/v1/evacuations", t -> null, READERS),
      new Row("read an evacuation", "GET", t -> "/api/v1/evacuations/" + t.evacuation(), t -> null, READERS),
      new Row("engine-rest: start host-evacuation", "POST",
          t -> "/engine-rest/process-definition/key/host-evacuation/start",
          t -> Map.of("variables", Map.of("hostId", Map.of("value", t.host()))), ACTORS),
      new Row("OpenAPI description", "GET", t -> "/v3/api-docs", t -> null, EVERYONE),
      new Row("engine-rest: engines", "GET", t -> "/engine-rest/engine", t -> null, READERS),
      new Row("engine-rest: process definitions", "GET", t -> "/engine-rest/process-definition/key/power-change",
          t -> null, READERS),
      new Row("engine-rest: start power-change", "POST",
          t -> "/engine-rest/process-definition/key/power-change/start", t -> Map.of("variables", Map.of(
              "nodeId", Map.of("value", t.heldNode()), "action", Map.of("value", "on"))), ACTORS),
      new Row("engine-rest: history of instances", "GET", t -> "/engine-rest/history/process-instance?maxResults=5",
          t -> null, READERS),
      new Row("engine-rest: cancel (delete) an instance", "DELETE",
          t -> "/engine-rest/process-instance/" + t.waitingInstance(), t -> null, ACTORS),
      new Row("engine-rest: read another user's task", "GET", t -> "/engine-rest/task/" + t.ottosTask(), t -> null,
          Set.of(Role.OPERATOR, Role.ADMIN)),
      new Row("engine-rest: claim a review task", "POST", t -> "/engine-rest/task/" + t.reviewTask() + "/claim",
          t -> Map.of("userId", "otto"), ACTORS),
      new Row("engine-rest: complete a review task", "POST", t -> "/engine-rest/task/" + t.reviewTask() + "/complete",
          t -> Map.of("variables", Map.of()), ACTORS),
      new Row("engine-rest: create a user", "POST", t -> "/engine-rest/user/create", t -> Map.of("profile",
          Map.of("id", "matrixuser" + NEXT.incrementAndGet()), "credentials", Map.of("password", "pw-matrix-1")), ADMINS),
      new Row("engine-rest: add a user to a group", "PUT",
          t -> "/engine-rest/group/camunda-admin/members/" + t.plainUser(), t -> null, ADMINS),
      new Row("webapps: Cockpit page", "GET", t -> "/camunda/app/cockpit/default/", t -> null, EVERYONE),
      new Row("webapps: engine API with HTTP Basic (it takes a session only)", "GET", t -> "/camunda/api/engine/engine/default/process-definition",
          t -> null, Set.of()),
      new Row("actuator: health", "GET", t -> "/actuator/health", t -> null, EVERYONE),
      new Row("actuator: info", "GET", t -> "/actuator/info", t -> null, READERS),
      new Row("actuator: prometheus", "GET", t -> "/actuator/prometheus", t -> null, READERS));

  /** Webapp log-ins: who may log in to which webapp (anonymous has no password to try). */
  static final Map<String, Set<Role>> WEBAPP_LOGINS = Map.of(
      "cockpit", READERS, "tasklist", READERS, "admin", ADMINS);

  private final List<String> wrong = new ArrayList<>();
  private final Map<String, Map<Role, String>> results = new LinkedHashMap<>();

  @Test
  void onlyTheAllowedCellsSucceed() throws IOException {
    for (Row row : ROWS) {
      for (Role role : Role.values()) {
        String path = row.path().apply(this);
        Object body = row.body().apply(this);
        ApiClient.Response answer = client(role).send(row.method(), path, body, Map.of());
        record(row.name(), role, row.allowed().contains(role), answer.status(), answer.toString());
      }
    }
    for (Map.Entry<String, Set<Role>> app : WEBAPP_LOGINS.entrySet()) {
      for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN)) {
        int status = webappLogin(role, app.getKey());
        record("webapps: log in to " + app.getKey(), role, app.getValue().contains(role), status, "login " + app.getKey());
      }
    }
    writeMatrix();

    assertThat(results).hasSize(ROWS.size() + WEBAPP_LOGINS.size());
    assertThat(wrong).isEmpty();
  }

  @Test
  void viewersSeeNoTaskOfAnotherUserInTaskLists() {
    String task = ottosTask();
    ApiClient viewer = client(Role.VIEWER);

    assertThat(viewer.get("/engine-rest/task?assignee=otto").json()).isEmpty();
    assertThat(viewer.get("/engine-rest/task/count").json().get("count").asLong()).isZero();
    assertThat(client(Role.OPERATOR).get("/engine-rest/task?assignee=otto").body()).contains(task);
  }

  private void record(String row, Role role, boolean allowed, int status, String answer) {
    boolean succeeded = status >= 200 && status < 300;
    boolean refusedRightly = role == Role.ANONYMOUS ? status == 401 : status == 401 || status == 403 || status == 404;
    results.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(role, (succeeded ? "yes " : "no ") + status);
    if (allowed ? !succeeded : !refusedRightly) {
      wrong.add(row + " as " + role + ": expected " + (allowed ? "success" : "refusal") + ", got " + answer);
    }
  }

  private void writeMatrix() throws IOException {
    StringBuilder table = new StringBuilder("| endpoint | anonymous | viewer | operator | admin |\n|---|---|---|---|---|\n");
    results.forEach((row, cells) -> {
      table.append("| ").append(row);
      for (Role role : Role.values()) {
        table.append(" | ").append(cells.getOrDefault(role, "n/a"));
      }
      table.append(" |\n");
    });
    long count = results.values().stream().mapToLong(Map::size).sum();
    table.append("\n").append(count).append(" cells, ").append(wrong.size()).append(" wrong\n");
    wrong.forEach(w -> table.append("WRONG ").append(w).append('\n'));
    Path file = Path.of("target", "reliability", "access-matrix.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, table);
    System.out.println(table);
  }

  private ApiClient client(Role role) {
    return switch (role) {
      case ANONYMOUS -> anonymous();
      case VIEWER -> asMemberOf("vera", Caller.VIEWERS);
      case OPERATOR -> asMemberOf("otto", Caller.OPERATORS);
      case ADMIN -> asAdmin();
    };
  }

  /** The webapps' login form as a browser sends it; the answer's status. */
  private int webappLogin(Role role, String app) {
    client(role);
    String user = switch (role) {
      case VIEWER -> "vera";
      case OPERATOR -> "otto";
      default -> ADMIN;
    };
    String password = role == Role.ADMIN ? ADMIN_PASSWORD : TestUsers.passwordOf(user);
    ApiClient.Response page = anonymous().get("/camunda/app/tasklist/default/");
    String cookies = String.join("; ", page.raw().headers().allValues("Set-Cookie").stream()
        .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).toList());
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded",
        "Cookie", cookies, "X-XSRF-TOKEN", page.header("X-XSRF-TOKEN")));
    return anonymous().send("POST", "/camunda/api/admin/auth/user/default/login/" + app,
        "username=" + user + "&password=" + password, headers).status();
  }

  // -- fixtures, made as admin

  private String node() {
    String id = "matrix-" + NEXT.incrementAndGet();
    ApiClient.Response created = asAdmin().post("/api/v1/nodes", nodeBody(id));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  /** A compute host on a node of its own, without instances. */
  private String host() {
    String id = "matrix-host-" + NEXT.incrementAndGet();
    ApiClient.Response created = asAdmin().post("/api/v1/hosts", Map.of("id", id, "node", node(), "capacity", 0));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private String instance() {
    String id = "matrix-vm-" + NEXT.incrementAndGet();
    ApiClient.Response created = asAdmin().post("/api/v1/instances", Map.of("id", id, "host", host()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private String evacuation() {
    ApiClient.Response started = asAdmin().post("/api/v1/hosts/" + host() + "/evacuations", Map.of());
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.json().get("id").asText();
  }

  private String heldNode() {
    String id = node();
    assertThat(asAdmin().post("/api/v1/nodes/" + id + "/hold", Map.of("reason", "matrix")).status()).isEqualTo(200);
    return id;
  }

  private String queuedRequest() {
    ApiClient.Response submitted = asAdmin().post("/api/v1/nodes/" + heldNode() + "/power-requests", Map.of("action", "on"));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    return submitted.json().get("id").asText();
  }

  private String waitingInstance() {
    return asAdmin().get("/api/v1/power-requests/" + queuedRequest()).json().get("processInstanceId").asText();
  }

  private String ottosTask() {
    TestUsers.ensure(identityService, "otto", Caller.OPERATORS);
    Task task = tasks.newTask("matrix-task-" + NEXT.incrementAndGet());
    task.setName("otto's own work");
    task.setAssignee("otto");
    tasks.saveTask(task);
    return task.getId();
  }

  private String reviewTask() {
    String node = heldNode();
    String review = reviews.open("operator", "access matrix", List.of(node), Map.of());
    return tasks.createTaskQuery().processInstanceBusinessKey(review).singleResult().getId();
  }

  private String plainUser() {
    String id = "matrixplain" + NEXT.incrementAndGet();
    TestUsers.ensure(identityService, id, Caller.VIEWERS);
    return id;
  }

  private static Map<String, Object> nodeBody(String id) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (id != null) {
      body.put("id", id);
    }
    body.put("bmc", Map.of("driver", "sim", "host", "matrix-sim", "username", "admin", "password", "matrix-bmc-pw"));
    return body;
  }
}
