package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenStack of the project's own for tests of the nova compute driver: Keystone v3 password tokens with a
 * catalog, and the part of the Compute API an evacuation uses, answering as the Nova and Keystone API references
 * document (status codes, bodies, error bodies {@code {"badRequest": {"code", "message"}}}, microversion header).
 * Every request is recorded with its method, path, headers, body and time.
 *
 * <p>Keystone: {@code POST /identity/v3/auth/tokens}, one user with one project. Nova, under
 * {@code /compute/v2.1} (public, RegionOne), {@code /compute-internal/v2.1} (internal, RegionOne) and
 * {@code /region-two/v2.1} (public, RegionTwo): os-services list and update, servers/detail (host filter, pages
 * of at most {@link #maxLimit} servers), server show, the evacuate action and os-migrations. An evacuation
 * moves the server to the target through status REBUILD (task_state rebuilding) after {@link #evacuationDelay};
 * its migration goes accepted → done (or error when no host is left to schedule it on).
 */
public final class NovaKeystoneServer implements AutoCloseable {

  public static final String USER = "lightsout";
  public static final String USER_DOMAIN = "Default";
  public static final String PROJECT = "admin";
  public static final String PROJECT_DOMAIN = "Default";
  /** The project the workload servers belong to: listed only with {@code all_tenants}. */
  public static final String WORKLOAD_PROJECT = "0b3a7c1e5f0a4e0c9d2f6e8a1b4c7d90";
  public static final String MIN_VERSION = "2.1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter NOVA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Map<String, String> ENDPOINTS = Map.of(
      "/compute/v2.1", "public/RegionOne", "/compute-internal/v2.1", "internal/RegionOne",
      "/region-two/v2.1", "public/RegionTwo");

  /** One request as received. Header names are lower case. */
  public record Call(String method, String path, String query, Map<String, String> headers, String body,
                     Instant at) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The path with its query, as sent. */
    public String target() {
      return query == null ? path : path + "?" + query;
    }

    public JsonNode json() {
      try {
        return body.isEmpty() ? MissingNode.getInstance() : JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return method + " " + target();
    }
  }

  /** A nova-compute service. */
  public static final class Service {
    public final String id = UUID.randomUUID().toString();
    public final String host;
    public volatile String status = "enabled";
    public volatile String disabledReason;
    public volatile boolean forcedDown;

    Service(String host) {
      this.host = host;
    }
  }

  /** A server (instance). */
  public static final class Server {
    public final String id;
    public volatile String host;
    public volatile String vmState;
    public volatile String taskState;

    Server(String id, String host, String vmState) {
      this.id = id;
      this.host = host;
      this.vmState = vmState;
    }

    /** The status the API shows for the vm and task state. */
    public String status() {
      if ("rebuilding".equals(taskState)) {
        return "REBUILD";
      }
      return switch (vmState) {
        case "active" -> "ACTIVE";
        case "stopped" -> "SHUTOFF";
        case "error" -> "ERROR";
        default -> vmState.toUpperCase(Locale.ROOT);
      };
    }
  }

  /** A migration record. */
  public static final class Migration {
    public final int id;
    public final String uuid = UUID.randomUUID().toString();
    public final String instanceUuid;
    public final String sourceCompute;
    public volatile String destCompute;
    public volatile String status = "accepted";
    public final Instant createdAt;
    public volatile Instant updatedAt;

    Migration(int id, String instanceUuid, String sourceCompute, String destCompute, Instant createdAt) {
      this.id = id;
      this.instanceUuid = instanceUuid;
      this.sourceCompute = sourceCompute;
      this.destCompute = destCompute;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }
  }

  private final HttpServer http;
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor();
  private final String base;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, Server> servers = new LinkedHashMap<>();
  private final List<Migration> migrations = new ArrayList<>();
  private final List<Integer> injectedFailures = new CopyOnWriteArrayList<>();
  private final String password;

  private volatile Duration tokenLifetime = Duration.ofHours(1);
  private volatile int maxLimit = 1000;
  private volatile String maxVersion = "2.96";
  private volatile boolean echoVersion = true;
  private volatile Duration evacuationDelay = Duration.ofMillis(200);
  private volatile Duration novaStall = Duration.ZERO;
  private volatile boolean echoRequestOnKeystoneError;

  private NovaKeystoneServer(String password) {
    this.password = password;
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    base = "http://127.0.0.1:" + http.getAddress().getPort();
    http.setExecutor(workers);
    http.createContext("/", this::handle);
    http.start();
  }

  /** A server whose one user ({@link #USER}) has this password. */
  public static NovaKeystoneServer start(String password) {
    return new NovaKeystoneServer(password);
  }

  /** Keystone's base URL, as operators give it (the driver appends /v3/auth/tokens). */
  public String authUrl() {
    return base + "/identity";
  }

  /** The public compute endpoint of RegionOne. */
  public String computeUrl() {
    return base + "/compute/v2.1";
  }

  // ---- settings

  public NovaKeystoneServer tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
    return this;
  }

  /** Nova's {@code max_limit}: the most servers on one page. */
  public NovaKeystoneServer maxLimit(int limit) {
    this.maxLimit = limit;
    return this;
  }

  public NovaKeystoneServer maxVersion(String version) {
    this.maxVersion = version;
    return this;
  }

  /** Whether answers carry the microversion header (false: as a proxy that drops it). */
  public NovaKeystoneServer echoVersion(boolean echo) {
    this.echoVersion = echo;
    return this;
  }

  /**
   * How long an accepted evacuation takes until the server is ACTIVE on the target; null: until
   * {@link #finishEvacuations()}.
   */
  public NovaKeystoneServer evacuationDelay(Duration delay) {
    this.evacuationDelay = delay;
    return this;
  }

  /** How long Nova waits before it answers each call. */
  public NovaKeystoneServer stallNova(Duration stall) {
    this.novaStall = stall;
    return this;
  }

  /**
   * Keystone's error answers quote the request body, as an error page of a misconfigured proxy in front of it does:
   * the password then comes back in the answer.
   */
  public NovaKeystoneServer echoRequestOnKeystoneError(boolean echo) {
    this.echoRequestOnKeystoneError = echo;
    return this;
  }

  /** The next Nova calls answer these statuses (e.g. 503) instead of being served, one each. */
  public NovaKeystoneServer failNextNovaCalls(Integer... statuses) {
    injectedFailures.addAll(List.of(statuses));
    return this;
  }

  /** Every token issued so far is refused from now on (as after Keystone revoked them). */
  public void revokeTokens() {
    tokens.clear();
  }

  // ---- state

  public synchronized Service addComputeHost(String host) {
    Service service = new Service(host);
    services.put(host, service);
    return service;
  }

  public synchronized Server addServer(String id, String host, String vmState) {
    Server server = new Server(id, host, vmState);
    servers.put(id, server);
    return server;
  }

  public synchronized Service service(String host) {
    return services.get(host);
  }

  public synchronized Server server(String id) {
    return servers.get(id);
  }

  public synchronized List<Migration> migrations() {
    return List.copyOf(migrations);
  }

  /** Adds a finished evacuation migration of the past, as an earlier evacuation leaves behind. */
  public synchronized Migration addMigration(String instanceUuid, String source, String dest, String status,
      Instant createdAt) {
    Migration migration = new Migration(migrations.size() + 1, instanceUuid, source, dest, createdAt);
    migration.status = status;
    migrations.add(migration);
    return migration;
  }

  /** Completes every evacuation still under way now. */
  public synchronized void finishEvacuations() {
    for (Migration migration : migrations) {
      if ("accepted".equals(migration.status)) {
        finish(migration);
      }
    }
  }

  // ---- what was received

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Every token Keystone issued, oldest first. */
  public List<String> issuedTokens() {
    return List.copyOf(issued);
  }

  public List<Call> novaCalls() {
    return calls.stream().filter(call -> !call.path().startsWith("/identity")).toList();
  }

  public List<Call> tokenRequests() {
    return calls.stream().filter(call -> call.path().equals("/identity/v3/auth/tokens")).toList();
  }

  public List<Call> evacuateCalls() {
    return calls.stream().filter(call -> "POST".equals(call.method()) && call.path().endsWith("/action")
        && call.json().has("evacuate")).toList();
  }

  public void clearCalls() {
    calls.clear();
  }

  @Override
  public void close() {
    http.stop(0);
    rebuilds.shutdownNow();
    workers.shutdownNow();
  }

  // ---- HTTP

  private record Reply(int status, JsonNode body, String text, Map<String, String> headers) {

    static Reply json(int status, JsonNode body) {
      return new Reply(status, body, null, Map.of());
    }

    static Reply empty(int status) {
      return new Reply(status, null, null, Map.of());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
      URI uri = exchange.getRequestURI();
      Call call = new Call(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body,
          Instant.now());
      calls.add(call);
      if (call.path().startsWith("/identity")) {
        respond(exchange, keystone(call), Map.of());
        return;
      }
      String prefix = ENDPOINTS.keySet().stream().filter(call.path()::startsWith).findFirst().orElse(null);
      if (prefix == null) {
        respond(exchange, error(404, "itemNotFound", "The resource could not be found."), Map.of());
        return;
      }
      sleep(novaStall);
      nova(exchange, call, call.path().substring(prefix.length()), prefix);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void respond(HttpExchange exchange, Reply reply, Map<String, String> headers) throws IOException {
    headers.forEach(exchange.getResponseHeaders()::add);
    reply.headers().forEach(exchange.getResponseHeaders()::add);
    byte[] bytes = reply.text() != null ? reply.text().getBytes(StandardCharsets.UTF_8)
        : reply.body() == null ? new byte[0] : JSON.writeValueAsBytes(reply.body());
    if (bytes.length > 0) {
      exchange.getResponseHeaders().add("Content-Type", reply.text() != null ? "text/plain" : "application/json");
    }
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  // ---- Keystone

  private Reply keystone(Call call) {
    if (!"POST".equals(call.method()) || !call.path().equals("/identity/v3/auth/tokens")) {
      return keystoneError(call, 404, "Not Found", "The resource could not be found.");
    }
    JsonNode auth = call.json().path("auth");
    JsonNode identity = auth.path("identity");
    JsonNode user = identity.path("password").path("user");
    JsonNode project = auth.path("scope").path("project");
    boolean wellFormed = identity.path("methods").isArray() && identity.path("methods").toString().contains("\"password\"")
        && user.path("password").isTextual() && (user.has("id") || user.has("name") && user.has("domain"));
    if (!wellFormed) {
      return keystoneError(call, 400, "Bad Request", "Invalid input for field 'identity'.");
    }
    boolean known = USER.equals(user.path("name").asText()) && USER_DOMAIN.equals(user.path("domain").path("name").asText())
        && password.equals(user.path("password").asText());
    if (!known) {
      return keystoneError(call, 401, "Unauthorized", "The request you have made requires authentication.");
    }
    if (!PROJECT.equals(project.path("name").asText())
        || !PROJECT_DOMAIN.equals(project.path("domain").path("name").asText())) {
      return keystoneError(call, 401, "Unauthorized", "The request you have made requires authentication.");
    }
    String token = "gAAAAA" + UUID.randomUUID().toString().replace("-", "");
    Instant expires = Instant.now().plus(tokenLifetime);
    tokens.put(token, expires);
    issued.add(token);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode tokenBody = body.putObject("token");
    tokenBody.putArray("methods").add("password");
    tokenBody.put("expires_at", expires.truncatedTo(ChronoUnit.MICROS).toString());
    tokenBody.put("issued_at", Instant.now().toString());
    tokenBody.putObject("user").put("name", USER).putObject("domain").put("name", USER_DOMAIN);
    tokenBody.putObject("project").put("name", PROJECT).putObject("domain").put("name", PROJECT_DOMAIN);
    tokenBody.putArray("roles").addObject().put("name", "admin");
    ArrayNode catalog = tokenBody.putArray("catalog");
    ObjectNode identityEntry = catalog.addObject().put("type", "identity").put("name", "keystone");
    endpoint(identityEntry.putArray("endpoints"), "public", "RegionOne", base + "/identity");
    ObjectNode compute = catalog.addObject().put("type", "compute").put("name", "nova");
    ArrayNode endpoints = compute.putArray("endpoints");
    ENDPOINTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      String[] where = entry.getValue().split("/");
      endpoint(endpoints, where[0], where[1], base + entry.getKey());
    });
    return new Reply(201, body, null, Map.of("X-Subject-Token", token));
  }

  private static void endpoint(ArrayNode endpoints, String face, String region, String url) {
    endpoints.addObject().put("id", UUID.randomUUID().toString().replace("-", "")).put("interface", face)
        .put("region", region).put("region_id", region).put("url", url);
  }

  private Reply keystoneError(Call call, int status, String title, String message) {
    if (echoRequestOnKeystoneError) {
      return new Reply(status, null, "<html><body><h1>" + status + " " + title + "</h1><pre>" + call.body()
          + "</pre></body></html>", Map.of());
    }
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", status).put("title", title).put("message", message);
    return Reply.json(status, body);
  }

  // ---- Nova

  private void nova(HttpExchange exchange, Call call, String path, String prefix) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    String requested = requestedVersion(call);
    Instant expires = call.header("X-Auth-Token") == null ? null : tokens.get(call.header("X-Auth-Token"));
    if (expires == null || !Instant.now().isBefore(expires)) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("error").put("code", 401).put("title", "Unauthorized")
          .put("message", "The request you have made requires authentication.");
      headers.put("WWW-Authenticate", "Keystone uri=\"" + authUrl() + "\"");
      respond(exchange, Reply.json(401, body), headers);
      return;
    }
    if (requested == null || compare(requested, MIN_VERSION) < 0 || compare(requested, maxVersion) > 0) {
      respond(exchange, error(406, "computeFault", "Version " + call.header("OpenStack-API-Version")
          + " is not supported by the API. Minimum is " + MIN_VERSION + " and maximum is " + maxVersion + "."), headers);
      return;
    }
    if (echoVersion) {
      headers.put("OpenStack-API-Version", "compute " + requested);
      headers.put("X-OpenStack-Nova-API-Version", requested);
      headers.put("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
    }
    if (!injectedFailures.isEmpty()) {
      int status = injectedFailures.remove(0);
      respond(exchange, error(status, status == 503 ? "serviceUnavailable" : "computeFault",
          "injected failure " + status), headers);
      return;
    }
    Map<String, String> query = query(call.query());
    Reply reply;
    synchronized (this) {
      reply = route(call, path, query, requested, prefix);
    }
    respond(exchange, reply, headers);
  }

  private Reply route(Call call, String path, Map<String, String> query, String version, String prefix) {
    String method = call.method();
    if (method.equals("GET") && path.equals("/os-services")) {
      return listServices(query, version);
    }
    if (method.equals("PUT") && path.startsWith("/os-services/")) {
      return updateService(path.substring("/os-services/".length()), call.json(), version);
    }
    if (method.equals("GET") && path.equals("/servers/detail")) {
      return listServers(query, prefix);
    }
    if (method.equals("GET") && path.startsWith("/servers/") && path.indexOf('/', 9) < 0) {
      Server server = servers.get(path.substring("/servers/".length()));
      return server == null ? notFound(path.substring("/servers/".length()))
          : Reply.json(200, JSON.createObjectNode().set("server", view(server)));
    }
    Matcher action = Pattern.compile("/servers/([^/]+)/action").matcher(path);
    if (method.equals("POST") && action.matches()) {
      return action(action.group(1), call.json(), version);
    }
    if (method.equals("GET") && path.equals("/os-migrations")) {
      return listMigrations(query, version);
    }
    return error(404, "itemNotFound", "The resource could not be found.");
  }

  private Reply listServices(Map<String, String> query, String version) {
    ArrayNode list = JSON.createArrayNode();
    if (query.get("binary") == null || "nova-compute".equals(query.get("binary"))) {
      services.values().stream().filter(service -> query.get("host") == null || service.host.equals(query.get("host")))
          .forEach(service -> list.add(view(service, version)));
    }
    return Reply.json(200, JSON.createObjectNode().set("services", list));
  }

  private Reply updateService(String id, JsonNode body, String version) {
    if (compare(version, "2.53") < 0) {
      return error(404, "itemNotFound", "The resource could not be found.");
    }
    if (!UUID_FORM.matcher(id).matches()) {
      return error(400, "badRequest", "Invalid uuid " + id);
    }
    Service service = services.values().stream().filter(candidate -> candidate.id.equals(id)).findFirst().orElse(null);
    if (service == null) {
      return error(404, "itemNotFound", "Service " + id + " not found.");
    }
    for (String field : iterable(body)) {
      if (!Set.of("status", "disabled_reason", "forced_down").contains(field)) {
        return error(400, "badRequest", "Invalid input for field/attribute service. Additional properties are not "
            + "allowed ('" + field + "' was unexpected)");
      }
    }
    if (!body.has("status") && !body.has("forced_down")) {
      return error(400, "badRequest", "No updateable fields specified: at least one of status or forced_down.");
    }
    if (body.has("status") && !Set.of("enabled", "disabled").contains(body.path("status").asText())) {
      return error(400, "badRequest", "Invalid input for field/attribute status.");
    }
    if (body.has("disabled_reason") && !"disabled".equals(body.path("status").asText())) {
      return error(400, "badRequest", "Specifying 'disabled_reason' with status other than 'disabled' is invalid.");
    }
    if (body.has("forced_down") && !body.get("forced_down").isBoolean()) {
      return error(400, "badRequest", "Invalid input for field/attribute forced_down.");
    }
    if (body.has("status")) {
      service.status = body.get("status").asText();
      service.disabledReason = "disabled".equals(service.status) ? body.path("disabled_reason").asText(null) : null;
    }
    if (body.has("forced_down")) {
      service.forcedDown = body.get("forced_down").asBoolean();
    }
    return Reply.json(200, JSON.createObjectNode().set("service", view(service, version)));
  }

  private Reply listServers(Map<String, String> query, String prefix) {
    boolean allTenants = query.containsKey("all_tenants")
        && !Set.of("0", "false", "off", "no").contains(query.get("all_tenants").toLowerCase(Locale.ROOT));
    List<Server> matching = servers.values().stream()
        .filter(server -> allTenants) // every server belongs to WORKLOAD_PROJECT, not to the token's project
        .filter(server -> query.get("host") == null || query.get("host").equals(server.host)).toList();
    int start = 0;
    if (query.get("marker") != null) {
      int at = matching.stream().map(server -> server.id).toList().indexOf(query.get("marker"));
      if (at < 0 && !servers.containsKey(query.get("marker"))) {
        return error(400, "badRequest", "marker [" + query.get("marker") + "] not found");
      }
      start = at + 1;
    }
    int limit = query.get("limit") == null ? maxLimit : Math.min(maxLimit, Integer.parseInt(query.get("limit")));
    List<Server> page = matching.subList(Math.min(start, matching.size()), Math.min(start + limit, matching.size()));
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("servers");
    page.forEach(server -> list.add(view(server)));
    if (page.size() == limit) {
      StringBuilder next = new StringBuilder(base + prefix + "/servers/detail?");
      query.forEach((name, value) -> {
        if (!name.equals("marker") && !name.equals("limit")) {
          next.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
        }
      });
      next.append("limit=").append(limit).append("&marker=").append(page.get(page.size() - 1).id);
      body.putArray("servers_links").addObject().put("rel", "next").put("href", next.toString());
    }
    return Reply.json(200, body);
  }

  private Reply action(String id, JsonNode body, String version) {
    Server server = servers.get(id);
    if (server == null) {
      return notFound(id);
    }
    JsonNode evacuate = body.path("evacuate");
    if (!evacuate.isObject()) {
      return error(400, "badRequest", "There is no such action: " + iterable(body));
    }
    for (String field : iterable(evacuate)) {
      boolean allowed = field.equals("host") || field.equals("adminPass")
          || field.equals("force") && compare(version, "2.29") >= 0 && compare(version, "2.68") < 0;
      if (!allowed) {
        return error(400, "badRequest", "Invalid input for field/attribute evacuate. Additional properties are not "
            + "allowed ('" + field + "' was unexpected)");
      }
    }
    String target = evacuate.path("host").asText(null);
    if (target != null && !services.containsKey(target)) {
      return error(404, "itemNotFound", "Compute host " + target + " could not be found.");
    }
    if (target != null && target.equals(server.host)) {
      return error(400, "badRequest", "The target host can't be the same one.");
    }
    if (!Set.of("active", "stopped", "error").contains(server.vmState)) {
      return error(409, "conflictingRequest", "Cannot 'evacuate' instance " + id + " while it is in vm_state "
          + server.vmState);
    }
    if (server.taskState != null) {
      return error(409, "conflictingRequest", "Cannot 'evacuate' instance " + id + " while it is in task_state "
          + server.taskState);
    }
    Service source = services.get(server.host);
    if (source != null && !source.forcedDown) {
      return error(400, "badRequest", "Compute service of " + server.host + " is still in use.");
    }
    server.taskState = "rebuilding";
    Instant now = Instant.now();
    Migration migration = new Migration(migrations.size() + 1, id, server.host, target, now);
    migrations.add(migration);
    if (evacuationDelay != null) {
      rebuilds.schedule(() -> {
        synchronized (this) {
          if ("accepted".equals(migration.status)) {
            finish(migration);
          }
        }
      }, evacuationDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return Reply.empty(200);
  }

  /** The conductor's and the target compute's part: schedule (unless a host was named) and rebuild. */
  private void finish(Migration migration) {
    Server server = servers.get(migration.instanceUuid);
    String target = migration.destCompute != null ? migration.destCompute : services.values().stream()
        .filter(service -> !service.host.equals(migration.sourceCompute) && !service.forcedDown
            && "enabled".equals(service.status))
        .map(service -> service.host).findFirst().orElse(null);
    migration.updatedAt = Instant.now();
    server.taskState = null;
    if (target == null) {
      migration.status = "error";
      server.vmState = "error";
      return;
    }
    migration.destCompute = target;
    migration.status = "done";
    server.host = target;
    server.vmState = "error".equals(server.vmState) ? "active" : server.vmState;
  }

  private Reply listMigrations(Map<String, String> query, String version) {
    ArrayNode list = JSON.createArrayNode();
    migrations.stream()
        .filter(migration -> query.get("instance_uuid") == null || query.get("instance_uuid").equals(migration.instanceUuid))
        .filter(migration -> query.get("migration_type") == null || "evacuation".equals(query.get("migration_type")))
        .sorted((a, b) -> Integer.compare(b.id, a.id))
        .forEach(migration -> {
          ObjectNode view = list.addObject().put("id", migration.id).put("instance_uuid", migration.instanceUuid)
              .put("migration_type", "evacuation").put("source_compute", migration.sourceCompute)
              .put("source_node", migration.sourceCompute).put("dest_compute", migration.destCompute)
              .put("dest_node", migration.destCompute).put("dest_host", (String) null).put("status", migration.status)
              .put("created_at", novaTime(migration.createdAt)).put("updated_at", novaTime(migration.updatedAt))
              .put("old_instance_type_id", 1).put("new_instance_type_id", 1);
          if (compare(version, "2.59") >= 0) {
            view.put("uuid", migration.uuid);
          }
        });
    return Reply.json(200, JSON.createObjectNode().set("migrations", list));
  }

  private ObjectNode view(Service service, String version) {
    return JSON.createObjectNode().put("id", compare(version, "2.53") >= 0 ? service.id : "1")
        .put("binary", "nova-compute").put("host", service.host).put("zone", "nova").put("status", service.status)
        .put("state", service.forcedDown ? "down" : "up").put("disabled_reason", service.disabledReason)
        .put("forced_down", service.forcedDown).put("updated_at", novaTime(Instant.now()));
  }

  private static ObjectNode view(Server server) {
    return JSON.createObjectNode().put("id", server.id).put("name", "vm-" + server.id.substring(0, 8))
        .put("status", server.status()).put("tenant_id", WORKLOAD_PROJECT)
        .put("OS-EXT-SRV-ATTR:host", server.host).put("OS-EXT-SRV-ATTR:hypervisor_hostname", server.host + ".local")
        .put("OS-EXT-STS:vm_state", server.vmState).put("OS-EXT-STS:task_state", server.taskState)
        .put("updated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private static Reply notFound(String id) {
    return error(404, "itemNotFound", "Instance " + id + " could not be found.");
  }

  private static Reply error(int status, String kind, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject(kind).put("code", status).put("message", message);
    return Reply.json(status, body);
  }

  // ---- helpers

  private static String requestedVersion(Call call) {
    String header = call.header("OpenStack-API-Version");
    if (header == null) {
      return call.header("X-OpenStack-Nova-API-Version") == null ? MIN_VERSION : call.header("X-OpenStack-Nova-API-Version");
    }
    String[] parts = header.strip().split("\\s+");
    return parts.length == 2 && parts[0].equalsIgnoreCase("compute") && parts[1].matches("\\d+\\.\\d+") ? parts[1]
        : null;
  }

  private static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String parameter : raw.split("&")) {
        int eq = parameter.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? parameter : parameter.substring(0, eq), StandardCharsets.UTF_8);
        query.put(name, eq < 0 ? "" : URLDecoder.decode(parameter.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private static Iterable<String> iterable(JsonNode node) {
    return node::fieldNames;
  }

  private static String novaTime(Instant instant) {
    return instant == null ? null : NOVA_TIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
