package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PowerRequestWaits;
import io.lightsout.testing.PrivatePostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: PostgreSQL stopped for about 10 s under a steady stream of power requests, then started again. The
 * server is the test's own ({@link PrivatePostgres}), never the shared one. Expected: while it is down every post
 * answers {@code 503} problem+json with {@code Retry-After} within a few seconds; the application reconnects by
 * itself; every request accepted before, during or after finishes; the database holds exactly the accepted
 * requests, each with its process instance (nothing half-written, nothing written for a {@code 503}).
 */
class DatabaseRestartIT {

  private static final int NODES = 4;
  private static final int CLIENTS = 3;
  private static final String ADMIN_PASSWORD = "dbrestart-admin-Pw9";
  private static final Duration DOWN = Duration.ofSeconds(10);
  private static final Duration PROMPT = Duration.ofSeconds(10);

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;
  private PrivatePostgres postgres;

  /** One post and what came back: status 0 when no answer came. */
  private record Answer(Instant sent, long millis, int status, String contentType, String retryAfter, String body,
      String id) {
  }

  @BeforeEach
  void setUp() {
    fleet = BmcSimulatorFleet.start(NODES);
    postgres = PrivatePostgres.start();
  }

  @AfterEach
  void tearDown() {
    try {
      postgres.close();
    } finally {
      fleet.close();
    }
  }

  @Test
  void whileTheDatabaseIsDownPostsAnswer503AndEverythingAcceptedFinishes() throws Exception {
    Map<String, String> env = AppEnvironment.on(postgres.jdbcUrl("lightsout"), "postgres", "", ADMIN_PASSWORD);
    // a job cut by the outage stays locked until its lock expires: 30 s here (BMC jobs last seconds), 5 min default
    String[] args = {"--lightsout.instance-id=dbrestart-test", "--lightsout.bmc.ipmi.timeout=5s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--camunda.bpm.job-execution.lock-time-in-millis=30000",
        "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (int i = 0; i < NODES; i++) {
        assertThat(admin.post("/api/v1/nodes", Map.of("id", "db-" + i, "bmc", Map.of("driver", "ipmi", "host",
            fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password()))).status())
            .isEqualTo(201);
      }
      List<Answer> answers = new CopyOnWriteArrayList<>();
      AtomicBoolean posting = new AtomicBoolean(true);
      List<Thread> posters = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int first = client;
        Thread poster = new Thread(() -> {
          for (int n = first; posting.get(); n += CLIENTS) {
            answers.add(post(admin, "db-" + (n % NODES), List.of("on", "off", "cycle").get(n / NODES % 3)));
            sleep(150);
          }
        });
        poster.start();
        posters.add(poster);
      }
      sleep(6000);
      Instant stopped = Instant.now();
      postgres.stop();
      sleep(DOWN.toMillis());
      postgres.startAgain();
      Instant started = Instant.now();
      Instant deadline = started.plusSeconds(60);
      while (answers.stream().noneMatch(a -> a.status() == 202 && a.sent().isAfter(started))) {
        assertThat(Instant.now()).as("an accepted post after the database came back").isBefore(deadline);
        sleep(200);
      }
      sleep(4000);
      posting.set(false);
      for (Thread poster : posters) {
        poster.join();
      }

      List<String> problems = new ArrayList<>();
      Map<Integer, Integer> byStatus = new TreeMap<>();
      Set<String> accepted = new HashSet<>();
      long slowest = 0;
      for (Answer answer : answers) {
        byStatus.merge(answer.status(), 1, Integer::sum);
        slowest = Math.max(slowest, answer.millis());
        if (answer.millis() > PROMPT.toMillis()) {
          problems.add("answered after " + answer.millis() + " ms: " + answer);
        }
        if (answer.status() == 202) {
          accepted.add(answer.id());
        } else if (answer.status() == 503) {
          if (!"application/problem+json".equals(answer.contentType()) || answer.retryAfter() == null
              || !answer.body().contains("database is unavailable")) {
            problems.add("503 without problem+json, Retry-After and reason: " + answer);
          }
        } else {
          problems.add("neither 202 nor 503: " + answer);
        }
      }
      assertThat(problems).as("answers; the application's errors:\n" + (problems.isEmpty() ? ""
          : app.console().lines().filter(line -> line.contains("ERROR") || line.startsWith("Caused by"))
              .limit(40).collect(java.util.stream.Collectors.joining("\n")))).isEmpty();
      long refusedDuringOutage = answers.stream().filter(a -> a.status() == 503).count();
      assertThat(refusedDuringOutage).as("posts refused while the database was down").isPositive();
      assertThat(answers.stream().filter(a -> a.status() == 202 && a.sent().isBefore(stopped)).count())
          .as("accepted before the outage").isPositive();

      for (String id : accepted) {
        JsonNode request = PowerRequestWaits.awaitFinal(admin, id, Duration.ofSeconds(120));
        assertThat(request.get("status").asText()).as(request.toString()).isIn("succeeded", "merged");
        assertThat(request.get("processInstanceId").isNull()).as(request.toString()).isFalse();
      }
      Set<String> rows = new HashSet<>();
      try (Connection db = DriverManager.getConnection(postgres.jdbcUrl("lightsout"), "postgres", "");
           Statement statement = db.createStatement();
           ResultSet result = statement.executeQuery("SELECT r.id, p.id_ FROM lo_power_request r"
               + " LEFT JOIN act_hi_procinst p ON p.id_ = r.process_instance_id")) {
        while (result.next()) {
          rows.add(result.getString(1));
          assertThat(result.getString(2)).as("process instance of request " + result.getString(1)).isNotNull();
        }
      }
      assertThat(rows).as("the database holds exactly the accepted requests").isEqualTo(accepted);
      write(answers.size(), byStatus, slowest, accepted.size());
      app.stop();
    }
  }

  private static Answer post(ApiClient admin, String node, String action) {
    Instant sent = Instant.now();
    try {
      ApiClient.Response answer = admin.post("/api/v1/nodes/" + node + "/power-requests",
          Map.of("action", action, "reason", "database restart test"));
      long millis = Duration.between(sent, Instant.now()).toMillis();
      String id = answer.status() == 202 ? answer.json().get("id").asText() : null;
      return new Answer(sent, millis, answer.status(), answer.header("Content-Type"), answer.header("Retry-After"),
          answer.body(), id);
    } catch (UncheckedIOException noAnswer) {
      return new Answer(sent, Duration.between(sent, Instant.now()).toMillis(), 0, null, null,
          String.valueOf(noAnswer.getMessage()), null);
    }
  }


  private static void write(int posted, Map<Integer, Integer> byStatus, long slowest, int accepted)
      throws IOException {
    Path file = Path.of("target", "reliability", "database-restart.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n",
        "PostgreSQL stopped for " + DOWN.toSeconds() + " s under load (DatabaseRestartIT), " + CLIENTS
            + " clients posting, " + NODES + " nodes with ipmi_sim BMCs",
        "posts: " + posted + ", by status: " + byStatus,
        "slowest answer: " + slowest + " ms",
        "accepted: " + accepted + ", all final, each with its row and process instance",
        "lost: 0", "half-written: 0", ""));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
