package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PowerRequestWaits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, first fault: SIGKILL at random moments of a 500-request run over 20 nodes with real IPMI BMCs,
 * restarted each time as the same instance on the same port, every outage review settled by resuming every held
 * node as an operator would. Afterwards, judged from the answers and from what the BMCs logged: every accepted
 * request is final with a reason (none lost), no request's commands reached its BMC twice (but for a resend after
 * the operator resumed an interrupted request, which is by design), and no command reached a held node between
 * its hold and its review. Figures go to {@code target/reliability/kill-9.txt} (RELIABILITY.md).
 */
class KillUnderLoadIT {

  private static final int NODES = 20;
  private static final int REQUESTS = 500;
  private static final int KILLS = 5;
  private static final String ADMIN_PASSWORD = "kill-admin-Pw9";
  private static final Pattern SENT = Pattern.compile("\\((\\d+) command\\(s\\) sent");

  @TempDir
  Path workDir;

  private final long seed = Long.getLong("lightsout.kill.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private BmcSimulatorFleet fleet;
  private Map<String, String> env;
  private String[] args;

  /** What one held node looked like at a review, and when the operator resumed it. */
  private record HeldWindow(String nodeId, Instant heldSince, Instant resumeSent) {
  }

  @BeforeEach
  void setUp() {
    fleet = BmcSimulatorFleet.start(NODES);
    env = AppEnvironment.onFreshDatabase(ADMIN_PASSWORD);
    args = new String[] {"--lightsout.instance-id=kill-test", "--lightsout.bmc.ipmi.timeout=5s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--lightsout.power.max-attempts=10", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void killedFiveTimesUnderLoadNothingIsLostNothingDoubledNothingSentToAHeldNode() throws Exception {
    List<String> accepted = new ArrayList<>();
    List<HeldWindow> heldWindows = new ArrayList<>();
    Map<String, List<Instant>> interruptedResumedAt = new HashMap<>();
    int attempted = 0;
    int kills = 0;
    int port = 0;
    int perWindow = (REQUESTS + KILLS) / (KILLS + 1);
    Post inDoubt = null;
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int life = 0; life <= KILLS; life++) {
        boolean last = life == KILLS;
        try (AppProcess app = AppProcess.start(workDir, env, port == 0 ? args : withPort(port))
            .awaitHealthy(Duration.ofSeconds(300))) {
          port = app.port();
          ApiClient admin = app.as("admin", ADMIN_PASSWORD);
          if (life == 0) {
            createNodes(admin);
          } else {
            settleReview(admin, heldWindows, interruptedResumedAt);
          }
          long killAfter = 1000 + random.nextInt(6000);
          if (!last) {
            killer.schedule(app::kill, killAfter, TimeUnit.MILLISECONDS);
          }
          int target = last ? REQUESTS : Math.min(REQUESTS, accepted.size() + perWindow);
          while (accepted.size() < target) {
            Post post = inDoubt != null ? inDoubt : new Post("kill-" + random.nextInt(NODES),
                List.of("on", "off", "cycle").get(random.nextInt(3)), "kill test, life " + life, "kill-" + attempted);
            inDoubt = null;
            attempted++;
            ApiClient.Response answer;
            try {
              answer = admin.post("/api/v1/nodes/" + post.node() + "/power-requests",
                  Map.of("action", post.action(), "reason", post.reason()), Map.of("Idempotency-Key", post.key()));
            } catch (UncheckedIOException killed) {
              // cut by the kill: stored or not, the client cannot know; as a client should, it posts it again
              // with the same key after the restart (200 with the stored request, or 202 if it was not stored)
              inDoubt = post;
              break;
            }
            assertThat(answer.status()).as(answer.toString()).isIn(200, 202);
            accepted.add(answer.json().get("id").asText());
            Thread.sleep(20);
          }
          if (!last) {
            awaitDeath(app);
            kills++;
            assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
            continue;
          }
          Map<String, JsonNode> finals = new LinkedHashMap<>();
          for (String id : accepted) {
            finals.put(id, PowerRequestWaits.awaitFinal(admin, id, Duration.ofSeconds(120)));
          }
          Figures figures = judge(finals, heldWindows, interruptedResumedAt);
          figures.kills = kills;
          figures.attempted = attempted;
          figures.accepted = accepted.size();
          figures.heldWindows = heldWindows.size();
          figures.interrupted = interruptedResumedAt.size();
          figures.interruptedAgain = (int) interruptedResumedAt.values().stream().filter(r -> r.size() > 1).count();
          write(figures);
          assertThat(kills).isEqualTo(KILLS);
          assertThat(accepted).hasSize(REQUESTS);
          assertThat(heldWindows).as("held nodes met at the reviews").isNotEmpty();
          app.stop();
          assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
        }
      }
    } finally {
      killer.shutdownNow();
    }
  }

  /** The review after a restart: every held node has a reason; wait a while, then resume each node as admin. */
  private void settleReview(ApiClient admin, List<HeldWindow> heldWindows,
      Map<String, List<Instant>> interruptedResumedAt) {
    JsonNode holds = admin.get("/api/v1/holds").json().get("items");
    Map<String, String> interrupted = new HashMap<>();
    List<String> heldNodes = new ArrayList<>();
    Map<String, Instant> since = new HashMap<>();
    holds.forEach(node -> {
      JsonNode hold = node.get("hold");
      assertThat(hold.get("kind").asText()).isEqualTo("outage");
      assertThat(hold.get("reason").asText()).contains("orchestrator outage from").contains("kill-test");
      heldNodes.add(node.get("id").asText());
      since.put(node.get("id").asText(), Instant.parse(hold.get("since").asText()));
      admin.get("/api/v1/nodes/" + node.get("id").asText() + "/queue").json().get("items").forEach(r -> {
        assertThat(r.get("status").asText()).as("every open request waits behind the hold: " + r).isEqualTo("held");
        assertThat(r.get("hold").get("kind").asText()).isEqualTo("outage");
        if (r.hasNonNull("result")) { // the one that ran when the instance died
          assertThat(r.get("result").asText()).startsWith("interrupted: the BMC may or may not have received");
          interrupted.put(r.get("id").asText(), r.get("nodeId").asText());
        }
      });
    });
    if (!heldNodes.isEmpty()) {
      assertThat(admin.get("/engine-rest/task?processDefinitionKey=queue-review").json()).as("one review opened")
          .hasSize(1);
    }
    sleep(3000);
    for (String nodeId : heldNodes) {
      Instant resumeSent = Instant.now();
      ApiClient.Response resumed = admin.post("/api/v1/nodes/" + nodeId + "/resume", null);
      assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
      heldWindows.add(new HeldWindow(nodeId, since.get(nodeId), resumeSent));
      interrupted.forEach((id, node) -> {
        if (node.equals(nodeId)) {
          interruptedResumedAt.computeIfAbsent(id, key -> new ArrayList<>()).add(resumeSent);
        }
      });
    }
    Instant deadline = Instant.now().plusSeconds(10);
    while (!admin.get("/engine-rest/task?processDefinitionKey=queue-review").json().isEmpty()) {
      assertThat(Instant.now()).as("the review is settled once every node is resumed").isBefore(deadline);
      sleep(200);
    }
  }

  /** One power request as posted, with its Idempotency-Key. */
  private record Post(String node, String action, String reason, String key) {}

  /** The counts RELIABILITY.md reports; every assertion on them is made here too. */
  private static final class Figures {
    int kills;
    int attempted;
    int accepted;
    int heldWindows;
    int interrupted;
    int lost;
    int doubled;
    int interruptedAgain;
    int continuedAfterReview;
    int resentAfterReview;
    int commandsAtBmcs;
    int sentWhileHeld;
    Map<String, Integer> byStatus = new java.util.TreeMap<>();
  }

  private Figures judge(Map<String, JsonNode> finals, List<HeldWindow> heldWindows,
      Map<String, List<Instant>> interruptedResumedAt) {
    Figures figures = new Figures();
    List<String> problems = new ArrayList<>();
    Map<String, List<JsonNode>> succeededByNode = new HashMap<>();
    finals.forEach((id, request) -> {
      String status = request.get("status").asText();
      figures.byStatus.merge(status, 1, Integer::sum);
      if (request.get("result").isNull() || request.get("result").asText().isBlank()) {
        problems.add("final without a reason: " + request);
      }
      if (status.equals("succeeded")) {
        succeededByNode.computeIfAbsent(request.get("nodeId").asText(), n -> new ArrayList<>()).add(request);
      }
    });
    for (int i = 0; i < NODES; i++) {
      String nodeId = "kill-" + i;
      List<BmcSimulatorFleet.BmcEvent> events = fleet.events(i);
      figures.commandsAtBmcs += events.size();
      List<JsonNode> done = new ArrayList<>(succeededByNode.getOrDefault(nodeId, List.of()));
      done.sort(java.util.Comparator.comparing(r -> Instant.parse(r.get("finishedAt").asText())));
      int next = 0;
      for (JsonNode request : done) {
        long finished = Instant.parse(request.get("finishedAt").asText()).toEpochMilli();
        List<BmcSimulatorFleet.BmcEvent> own = new ArrayList<>();
        while (next < events.size() && events.get(next).epochMillis() <= finished) {
          own.add(events.get(next++));
        }
        String id = request.get("id").asText();
        String action = request.get("action").asText();
        List<Instant> resumes = interruptedResumedAt.get(id);
        if (resumes == null) {
          if (!onceAtMost(action, own)) {
            figures.doubled++;
            problems.add("executed twice: " + request + " BMC got " + own);
          }
          Matcher sent = SENT.matcher(request.get("result").asText());
          int expected = sent.find() ? Integer.parseInt(sent.group(1)) : 0;
          if (own.size() != expected) {
            problems.add("the BMC got " + own + " for " + request);
          }
        } else {
          // interrupted by one kill or more, each time resumed by the operator: once at most between two resumes
          List<List<BmcSimulatorFleet.BmcEvent>> parts = new ArrayList<>();
          long from = Long.MIN_VALUE;
          for (Instant resume : resumes) {
            long to = resume.toEpochMilli();
            long start = from;
            parts.add(own.stream().filter(e -> e.epochMillis() >= start && e.epochMillis() < to).toList());
            from = to;
          }
          long last = from;
          parts.add(own.stream().filter(e -> e.epochMillis() >= last).toList());
          if (!parts.stream().allMatch(part -> onceAtMost(action, part))) {
            figures.doubled++;
            problems.add("executed twice: " + request + " BMC got " + own + ", resumed " + resumes);
          }
          List<BmcSimulatorFleet.BmcEvent> before = own.stream()
              .filter(e -> e.epochMillis() < resumes.get(resumes.size() - 1).toEpochMilli()).toList();
          List<BmcSimulatorFleet.BmcEvent> after = own.subList(before.size(), own.size());
          if (!before.isEmpty() && !after.isEmpty()) {
            figures.continuedAfterReview++;
            if (after.stream().anyMatch(e -> before.stream().anyMatch(b -> b.command().equals(e.command())))) {
              figures.resentAfterReview++;
            }
          }
        }
      }
      if (next < events.size()) {
        problems.add("node " + nodeId + ": commands after its last succeeded request: " + events.subList(next,
            events.size()));
      }
    }
    for (HeldWindow window : heldWindows) {
      fleet.events(Integer.parseInt(window.nodeId().substring("kill-".length()))).stream()
          .filter(e -> e.epochMillis() >= window.heldSince().toEpochMilli()
              && e.epochMillis() < window.resumeSent().toEpochMilli())
          .forEach(e -> {
            figures.sentWhileHeld++;
            problems.add("sent to held node " + window + ": " + e);
          });
    }
    figures.lost = (int) finals.values().stream().filter(r -> !PowerRequestWaits.FINAL.contains(r.get("status").asText())).count();
    assertThat(problems).as("what the BMCs logged against what the requests say (-Dlightsout.kill.seed=" + seed + ")")
        .isEmpty();
    assertThat(figures.commandsAtBmcs).as("commands the BMCs received").isPositive();
    return figures;
  }

  /**
   * One execution of the action, as the ensure semantics allow: on and off send their command at most once (not
   * at all when the node already was there); cycle sends off at most once, then on at most once.
   */
  private static boolean onceAtMost(String action, List<BmcSimulatorFleet.BmcEvent> events) {
    List<String> commands = events.stream().map(BmcSimulatorFleet.BmcEvent::command).toList();
    return switch (action) {
      case "on" -> commands.isEmpty() || commands.equals(List.of("set power 1"));
      case "off" -> commands.isEmpty() || commands.equals(List.of("set power 0"));
      case "cycle" -> List.of(List.of(), List.of("set power 1"), List.of("set power 0"),
          List.of("set power 0", "set power 1")).contains(commands);
      default -> false;
    };
  }

  private void createNodes(ApiClient admin) {
    for (int i = 0; i < NODES; i++) {
      fleet.setPower(i, random.nextBoolean());
      fleet.slow(i, 0.3);
      ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", "kill-" + i, "bmc", Map.of("driver",
          "ipmi", "host", fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
  }

  private static void awaitDeath(AppProcess app) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (ProcessHandle.of(app.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(Instant.now()).as("killed within 30 s").isBefore(deadline);
      sleep(100);
    }
  }


  private void write(Figures f) throws IOException {
    Path file = Path.of("target", "reliability", "kill-9.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n",
        "kill -9 under load (KillUnderLoadIT), " + NODES + " nodes with ipmi_sim BMCs, seed " + seed,
        "kills: " + f.kills,
        "requests posted: " + f.attempted + " (a post cut by a kill has no answer: it is posted again after the restart"
            + " with the same Idempotency-Key)",
        "accepted (202, or 200 for a cut post that had been stored): " + f.accepted,
        "final: " + f.byStatus.values().stream().mapToInt(Integer::intValue).sum() + " " + f.byStatus,
        "held node queues met at reviews, each resumed by the operator: " + f.heldWindows,
        "requests interrupted by a kill, held, then resumed: " + f.interrupted + " (" + f.interruptedAgain
            + " of them by more than one kill)",
        "of these, with commands at the BMC before the kill and after the review: " + f.continuedAfterReview
            + " (a cycle cut between its off and its on, finished after the review)",
        "of these, a command resent after the review (by design, only after it): " + f.resentAfterReview,
        "commands the BMCs logged: " + f.commandsAtBmcs,
        "lost: " + f.lost,
        "doubled: " + f.doubled,
        "sent to a held node before its review: " + f.sentWhileHeld, ""));
  }

  private String[] withPort(int port) {
    String[] withPort = java.util.Arrays.copyOf(args, args.length + 1);
    withPort[args.length] = "--server.port=" + port;
    return withPort;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
