package io.lightsout.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A small run on the {@code sim} driver through the API, then {@code /actuator/prometheus} as admin: the counters
 * moved by exactly what the run did, and the gauges show the held node. Counters are compared with a scrape taken
 * before the run, since the application context (and its registry) is shared with other tests.
 */
class MetricsTest extends PostgresIntegrationTest {

  @Test
  void aSmallRunShowsInTheMetrics() {
    String tag = Long.toString(System.nanoTime() % 1_000_000);
    String healthy = node("metrics-ok-" + tag, Map.of());
    // every exchange of the flaky BMC fails: registered without the BMC check, which it could not pass
    String flaky = node("metrics-fault-" + tag, Map.of("faultRate", "1.0"), false);
    String held = node("metrics-held-" + tag, Map.of());
    Scrape before = scrape();

    awaitStatus(request(healthy, "on"), "succeeded");
    awaitStatus(request(healthy, "off"), "succeeded");
    awaitStatus(request(flaky, "on"), "failed");
    assertThat(asAdmin().post("/api/v1/nodes/" + held + "/hold", Map.of("reason", "metrics test")).status()).isEqualTo(200);
    String waiting = request(held, "cycle");
    assertThat(asAdmin().delete("/api/v1/power-requests/" + waiting).status()).isEqualTo(200);
    awaitStatus(waiting, "cancelled");
    Scrape after = awaitScrape(s -> s.value("lightsout_nodes_held") >= 2);

    assertThat(after.delta(before, "lightsout_power_requests_total", "action=\"on\",status=\"succeeded\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_power_requests_total", "action=\"off\",status=\"succeeded\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_power_requests_total", "action=\"on\",status=\"failed\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_power_requests_total", "action=\"cycle\",status=\"cancelled\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_bmc_command_seconds_count",
        "driver=\"sim\",operation=\"on\",outcome=\"ok\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_bmc_command_seconds_count",
        "driver=\"sim\",operation=\"off\",outcome=\"ok\"")).isEqualTo(1);
    assertThat(after.delta(before, "lightsout_bmc_command_seconds_count",
        "driver=\"sim\",operation=\"on\",outcome=\"transient\"")).isEqualTo(2);
    assertThat(after.delta(before, "lightsout_bmc_faults_total", "driver=\"sim\",kind=\"transient\"")).isEqualTo(2);
    assertThat(after.body()).contains("lightsout_bmc_command_seconds_bucket{driver=\"sim\"");
    // the flaky node is held as unreachable, the other by hand; other tests' nodes may be held too
    assertThat(after.value("lightsout_nodes_held")).isGreaterThanOrEqualTo(2);
    assertThat(after.body()).contains("lightsout_power_queue_depth ", "lightsout_power_nodes_with_queue ",
        "lightsout_engine_process_instances{process=\"power-change\"}", "lightsout_engine_incidents ",
        "lightsout_engine_jobs{state=\"failed\"}", "lightsout_engine_user_tasks ");
  }

  private String node(String id, Map<String, String> options) {
    return node(id, options, true);
  }

  private String node(String id, Map<String, String> options, boolean check) {
    Map<String, Object> bmc = new HashMap<>(Map.of("driver", "sim", "host", "sim-" + id, "port", 623,
        "username", "admin", "password", "x"));
    bmc.put("options", options);
    ApiClient.Response created = asAdmin().post("/api/v1/nodes?check=" + check, Map.of("id", id, "bmc", bmc));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private String request(String node, String action) {
    ApiClient.Response accepted = asAdmin().post("/api/v1/nodes/" + node + "/power-requests", Map.of("action", action));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asText();
  }

  private void awaitStatus(String requestId, String status) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode request = null;
    while (Instant.now().isBefore(deadline)) {
      request = asAdmin().get("/api/v1/power-requests/" + requestId).json();
      if (status.equals(request.get("status").asText())) {
        return;
      }
      sleep();
    }
    throw new AssertionError("request " + requestId + " did not become " + status + ": " + request);
  }

  private Scrape scrape() {
    ApiClient.Response answer = asAdmin().get("/actuator/prometheus");
    assertThat(answer.status()).isEqualTo(200);
    return new Scrape(answer.body());
  }

  /** Gauges are read at most every few seconds: waits for one that shows the run. */
  private Scrape awaitScrape(java.util.function.Predicate<Scrape> shows) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    Scrape scrape = scrape();
    while (!shows.test(scrape) && Instant.now().isBefore(deadline)) {
      sleep();
      scrape = scrape();
    }
    return scrape;
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private record Scrape(String body) {

    /** The sample of a series; 0 when it does not exist (yet). Tags in the order Prometheus writes them. */
    double value(String series) {
      for (String line : body.lines().toList()) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
      return 0;
    }

    double value(String name, String tags) {
      Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
      Matcher m = line.matcher(body);
      while (m.find()) {
        if (List.of(m.group(1).split(",")).containsAll(List.of(tags.split(",")))) {
          return Double.parseDouble(m.group(2));
        }
      }
      return 0;
    }

    double delta(Scrape before, String name, String tags) {
      return value(name, tags) - before.value(name, tags);
    }
  }
}
