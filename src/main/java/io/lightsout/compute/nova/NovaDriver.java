package io.lightsout.compute.nova;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightsout.compute.ComputeDriver;
import io.lightsout.compute.ComputeInstance;
import io.lightsout.compute.InstancePlacement;
import io.lightsout.compute.RebuildOrder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Driver {@code nova}: OpenStack Compute (microversion 2.53 or later) with a Keystone v3 token. Nova's scheduler
 * picks targets. A host is marked down by forcing its nova-compute service down and disabling it; an instance is
 * rebuilt with the {@code evacuate} server action, sent only when Nova shows no evacuation of the claim in progress
 * or done (DESIGN §9: an evacuation migration from the failed host created since the claim and not failed, one Nova
 * still works on, or the server already elsewhere); placement is read from the server and its latest evacuation
 * migration.
 */
@Component
@ConditionalOnProperty(name = "lightsout.compute.driver", havingValue = NovaDriver.NAME)
public class NovaDriver implements ComputeDriver {

  static final String NAME = "nova";
  private static final Logger LOG = LoggerFactory.getLogger(NovaDriver.class);
  private static final String HOST = "OS-EXT-SRV-ATTR:host";
  private static final String TASK_STATE = "OS-EXT-STS:task_state";
  /** Nova's limit of {@code disabled_reason}. */
  private static final int MAX_REASON = 255;
  /** Migration statuses of an evacuation that failed: Nova will not rebuild the server for it. */
  private static final Set<String> FAILED_MIGRATION = Set.of("error", "failed");
  /** Migration statuses of an evacuation that is over, failed or done. */
  private static final Set<String> FINISHED_MIGRATION = Set.of("error", "failed", "done", "completed");

  private final NovaClient nova;

  public NovaDriver(NovaProperties properties, Clock clock) {
    properties.validate();
    this.nova = new NovaClient(properties, clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean schedulesTargets() {
    return true;
  }

  @Override
  public void markHostDown(String hostId, String reason) {
    String during = "reading the nova-compute service of host " + hostId;
    JsonNode found = nova.success("GET", "/os-services?host=" + NovaClient.encode(hostId) + "&binary=nova-compute",
        null, during);
    List<JsonNode> services = new ArrayList<>();
    for (JsonNode service : found.path("services")) {
      if (hostId.equals(service.path("host").asText()) && "nova-compute".equals(service.path("binary").asText())) {
        services.add(service);
      }
    }
    if (services.isEmpty()) {
      throw nova.unexpected("knows no nova-compute service on host " + hostId);
    }
    for (JsonNode service : services) {
      forceDown(hostId, service, reason);
    }
  }

  private void forceDown(String hostId, JsonNode service, String reason) {
    ObjectNode change = OpenStackHttp.JSON.createObjectNode();
    if (!service.path("forced_down").asBoolean(false)) {
      change.put("forced_down", true);
    }
    if (!"disabled".equals(service.path("status").asText())) {
      change.put("status", "disabled");
      String text = reason == null || reason.isBlank() ? "Lights-Out evacuation" : reason.strip();
      change.put("disabled_reason", text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON));
    }
    String id = service.path("id").asText();
    if (change.isEmpty()) {
      LOG.debug("Nova: nova-compute service {} of host {} is already forced down and disabled", id, hostId);
      return;
    }
    String during = "forcing down and disabling the nova-compute service " + id + " of host " + hostId;
    nova.success("PUT", "/os-services/" + NovaClient.encode(id), change, during);
    LOG.info("Nova: nova-compute service {} of host {} set {}", id, hostId, change);
  }

  @Override
  public List<ComputeInstance> instancesOn(String hostId) {
    String during = "listing the servers on host " + hostId;
    String query = "/servers/detail?host=" + NovaClient.encode(hostId) + "&all_tenants=1";
    List<ComputeInstance> instances = new ArrayList<>();
    Set<String> markers = new HashSet<>();
    String page = query;
    while (page != null) {
      JsonNode body = nova.success("GET", page, null, during);
      JsonNode servers = body.path("servers");
      if (!servers.isArray()) {
        throw nova.unexpected("answered without a servers list while " + during);
      }
      String last = null;
      for (JsonNode server : servers) {
        last = server.path("id").asText();
        instanceOn(hostId, server).ifPresent(instances::add);
      }
      String marker = nextMarker(body, last);
      if (marker != null && !markers.add(marker)) {
        throw nova.unexpected("offered marker " + marker + " twice while " + during);
      }
      page = marker == null ? null : query + "&marker=" + NovaClient.encode(marker);
    }
    return instances;
  }

  private Optional<ComputeInstance> instanceOn(String hostId, JsonNode server) {
    String id = server.path("id").asText();
    if (!server.hasNonNull(HOST)) {
      throw nova.unexpected("does not show the host (" + HOST + ") of server " + id + ": the nova driver's user"
          + " needs Nova's admin role");
    }
    String host = server.get(HOST).asText();
    if (!hostId.equals(host)) {
      LOG.warn("Nova listed server {} on host {} when asked for the servers on host {}; leaving it out", id, host,
          hostId);
      return Optional.empty();
    }
    return Optional.of(new ComputeInstance(id, host, 1, server.path("status").asText(null)));
  }

  /** The marker of the next page when Nova links one ({@code servers_links} rel next), else null. */
  private static String nextMarker(JsonNode page, String lastId) {
    for (JsonNode link : page.path("servers_links")) {
      if ("next".equals(link.path("rel").asText())) {
        String href = link.path("href").asText("");
        for (String parameter : href.substring(href.indexOf('?') + 1).split("&")) {
          if (parameter.startsWith("marker=")) {
            return URLDecoder.decode(parameter.substring("marker=".length()),
                StandardCharsets.UTF_8);
          }
        }
        return lastId;
      }
    }
    return null;
  }

  @Override
  public void rebuild(RebuildOrder order) {
    String id = order.instanceId();
    String subject = "server " + id + " (evacuation " + order.evacuationId() + " from host " + order.fromHost() + ")";
    JsonNode server = server(id, "reading " + subject).orElseThrow(() ->
        nova.unexpected("does not know " + subject + " any more"));
    boolean busy = server.hasNonNull(TASK_STATE);
    Optional<Migration> started = evacuations(id, "reading the evacuations of " + subject).stream()
        .filter(migration -> migration.from(order.fromHost()) && !FAILED_MIGRATION.contains(migration.status()))
        .filter(migration -> migration.since(order.claimedAt())
            || busy && !FINISHED_MIGRATION.contains(migration.status()))
        .findFirst();
    if (started.isPresent()) {
      LOG.info("Nova already evacuates {}: migration {} is {}; not sending evacuate again", subject,
          started.get().id(), started.get().status());
      return;
    }
    String host = server.path(HOST).asText(null);
    if (host != null && !host.equals(order.fromHost())) {
      LOG.info("Nova places {} on host {} already; not sending evacuate", subject, host);
      return;
    }
    ObjectNode action = OpenStackHttp.JSON.createObjectNode();
    ObjectNode evacuate = action.putObject("evacuate");
    if (order.toHost() != null) {
      evacuate.put("host", order.toHost());
    }
    String during = "evacuating " + subject + (order.toHost() == null ? "" : " to host " + order.toHost());
    nova.success("POST", "/servers/" + NovaClient.encode(id) + "/action", action, during);
    LOG.info("Nova accepted {}", during);
  }

  @Override
  public InstancePlacement placement(String instanceId) {
    Optional<JsonNode> found = server(instanceId, "reading server " + instanceId);
    if (found.isEmpty()) {
      return new InstancePlacement(instanceId, null, InstancePlacement.Status.GONE,
          "Nova does not know server " + instanceId);
    }
    JsonNode server = found.get();
    String host = server.path(HOST).asText(null);
    String status = server.path("status").asText("");
    String taskState = server.path(TASK_STATE).asText(null);
    Optional<Migration> latest = evacuations(instanceId, "reading the evacuations of server " + instanceId).stream()
        .max(Comparator.comparing(Migration::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    String detail = "Nova: status " + status + ", task_state " + (taskState == null ? "none" : taskState)
        + ", host " + (host == null ? "not shown" : host)
        + latest.map(migration -> "; latest evacuation " + migration.describe()).orElse("; no evacuation");
    return new InstancePlacement(instanceId, host, judge(status, taskState), detail);
  }

  /**
   * Judged by the server alone: Nova sets the task state {@code rebuilding} before it accepts an evacuation, while
   * a migration record may stay "accepted" for good when a conductor died.
   */
  private static InstancePlacement.Status judge(String status, String taskState) {
    if ("ERROR".equals(status)) {
      return InstancePlacement.Status.ERROR;
    }
    if (taskState == null && ("ACTIVE".equals(status) || "SHUTOFF".equals(status))) {
      return InstancePlacement.Status.SETTLED;
    }
    return InstancePlacement.Status.REBUILDING;
  }

  /** The server, or empty when Nova answers 404. */
  private Optional<JsonNode> server(String id, String during) {
    Answer answer = nova.get("/servers/" + NovaClient.encode(id), during);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw nova.refused(answer, during);
    }
    return Optional.of(answer.json().path("server"));
  }

  private List<Migration> evacuations(String instanceId, String during) {
    JsonNode found = nova.success("GET",
        "/os-migrations?migration_type=evacuation&instance_uuid=" + NovaClient.encode(instanceId), null, during);
    List<Migration> migrations = new ArrayList<>();
    for (JsonNode migration : found.path("migrations")) {
      if (instanceId.equals(migration.path("instance_uuid").asText())
          && "evacuation".equals(migration.path("migration_type").asText("evacuation"))) {
        migrations.add(new Migration(migration.path("uuid").asText(migration.path("id").asText()),
            migration.path("status").asText("").toLowerCase(Locale.ROOT),
            migration.path("source_compute").asText(null), migration.path("dest_compute").asText(null),
            NovaTime.parse(migration.path("created_at").asText(null))));
      }
    }
    return migrations;
  }

  /** An evacuation migration of one server, as {@code GET /os-migrations} lists it. */
  private record Migration(String id, String status, String source, String destination, Instant createdAt) {

    boolean from(String host) {
      return source == null || source.equals(host);
    }

    /**
     * Whether Nova created it at or after the claim. One that Nova still works on (the server has a task state)
     * counts whenever it began: Nova's clock may lag behind ours, and a second evacuate would be refused anyway.
     */
    boolean since(Instant claimedAt) {
      return createdAt != null && claimedAt != null && !createdAt.isBefore(claimedAt);
    }

    String describe() {
      return id + " " + status + " (from " + source + " to " + (destination == null ? "not chosen yet" : destination)
          + ", created " + createdAt + ")";
    }
  }
}
