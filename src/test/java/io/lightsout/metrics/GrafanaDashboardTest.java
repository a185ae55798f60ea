package io.lightsout.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.ProcessTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/lightsout.json queries only what {@code /actuator/prometheus} carries: after a small run (a power
 * change, an unreachable BMC, an evacuation), every metric name of every panel's query is in the scrape.
 */
class GrafanaDashboardTest extends ProcessTest {

  private static final Path DASHBOARD = Path.of("deploy/grafana/lightsout.json");
  private static final Pattern METRIC = Pattern.compile("\\blightsout_[a-z_]+");

  @Test
  void everyMetricTheDashboardQueriesIsScraped() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
    Set<String> names = new TreeSet<>();
    queries.forEach(query -> {
      Matcher m = METRIC.matcher(query);
      assertThat(m.find()).as("a query on Lights-Out's metrics: " + query).isTrue();
      do {
        names.add(m.group());
      } while (m.find());
    });
    assertThat(names).contains("lightsout_power_queue_depth", "lightsout_nodes_held", "lightsout_power_requests_total",
        "lightsout_bmc_command_seconds_bucket", "lightsout_bmc_faults_total", "lightsout_evacuations_total");

    smallRun();

    String scrape = asAdmin().get("/actuator/prometheus").body();
    for (String name : names) {
      assertThat(Pattern.compile("^" + name + "[{ ]", Pattern.MULTILINE).matcher(scrape).find())
          .as(name + " on /actuator/prometheus").isTrue();
    }
  }

  @Test
  void everyPanelQueriesTheDashboardsPrometheus() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.get("uid").asText()).isEqualTo("lightsout");
    for (JsonNode panel : dashboard.get("panels")) {
      if (!panel.get("type").asText().equals("row")) {
        assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo("${datasource}");
        assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      }
    }
  }

  private void smallRun() {
    String healthy = simNode("dash-ok", PowerState.OFF, Map.of());
    asAdmin().awaitRequest(request(healthy, "on"), "succeeded");
    asAdmin().awaitRequest(request(simNode("dash-fault", PowerState.OFF, Map.of("faultRate", "1.0")), "on"), "failed");

    String failedHost = healthy + "-host";
    String target = failedHost + "-2";
    created(asAdmin().post("/api/v1/hosts", Map.of("id", failedHost, "node", healthy, "capacity", 4)));
    created(asAdmin().post("/api/v1/hosts", Map.of("id", target, "node", simNode("dash-target", PowerState.ON, Map.of()),
        "capacity", 4)));
    created(asAdmin().post("/api/v1/instances", Map.of("id", failedHost + "-vm", "host", failedHost, "size", 1)));
    ApiClient.Response started = asAdmin().post("/api/v1/hosts/" + failedHost + "/evacuations", Map.of("reason", "dashboard"));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String evacuation = started.json().get("id").asText();
    await("evacuation " + evacuation + " succeeds", () ->
        asAdmin().get("/api/v1/evacuations/" + evacuation).json().get("status").asText().equals("succeeded"));
    await("the evacuation is counted", () -> asAdmin().get("/actuator/prometheus").body()
        .contains("lightsout_evacuation_instances_total{"));
  }

  private static void created(ApiClient.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }
}
