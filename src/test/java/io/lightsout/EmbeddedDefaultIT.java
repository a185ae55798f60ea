package io.lightsout;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new user's first run: the packaged jar on the embedded H2 default, nothing else set. */
class EmbeddedDefaultIT {

  private static final Pattern GENERATED = Pattern.compile("Generated password[^\\n]*\\n\\s*\\n\\s+(\\S+)");

  @TempDir
  Path workDir;

  /** The API's own SQL on H2, which differs from PostgreSQL in what it accepts: nodes, a batch and its summary. */
  private static void walkThroughTheApi(ApiClient admin) {
    assertThat(admin.post("/api/v1/nodes", Map.of("id", "h2-node", "bmc", Map.of("driver", "sim", "host", "sim-h2",
        "username", "admin", "password", "sim-pw"))).status()).isEqualTo(201);
    ApiClient.Response batch = admin.post("/api/v1/power-requests", Map.of("items", List.of(
        Map.of("nodeId", "h2-node", "action", "on"), Map.of("nodeId", "no-such-node", "action", "off"))));
    assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
    ApiClient.Response summary = admin.get("/api/v1/power-batches/" + batch.json().get("id").asText() + "?size=1");
    assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
    assertThat(summary.json().get("counts").get("rejected").asInt()).isEqualTo(1);
    for (String path : List.of("/api/v1/nodes", "/api/v1/nodes/h2-node", "/api/v1/nodes/h2-node/queue",
        "/api/v1/nodes/h2-node/history", "/api/v1/holds", "/api/v1/hosts", "/api/v1/instances", "/api/v1/evacuations")) {
      assertThat(admin.get(path).status()).as(path).isEqualTo(200);
    }
  }

  @Test
  void firstRunGeneratesAnAdminPasswordPrintsItOnceAndStoresOnlyItsHash() throws Exception {
    String password;
    try (AppProcess app = AppProcess.start(workDir, Map.of()).awaitHealthy(Duration.ofSeconds(300))) {
      Matcher printed = GENERATED.matcher(app.console());
      assertThat(printed.find()).as("generated password on the console").isTrue();
      password = printed.group(1);
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);

      for (String path : List.of("/engine-rest/engine", "/engine-rest/process-definition", "/api/v1/me")) {
        assertThat(app.as(null, null).get(path).status()).as(path).isEqualTo(401);
      }
      ApiClient admin = app.as("admin", password);
      assertThat(admin.get("/api/v1/me").json().get("userId").asText()).isEqualTo("admin");
      assertThat(admin.get("/engine-rest/engine").status()).isEqualTo(200);
      assertThat(app.as(null, null).get("/camunda/app/cockpit/default/").status()).isEqualTo(200);
      app.stop();
    }

    Path database = workDir.resolve("data/lightsout.mv.db");
    assertThat(database).exists();
    assertThat(Files.readString(database, StandardCharsets.ISO_8859_1)).doesNotContain(password);
    assertThat(textColumnsContaining(database, password)).isEmpty();

    try (AppProcess again = AppProcess.start(workDir, Map.of()).awaitHealthy(Duration.ofSeconds(300))) {
      assertThat(again.console()).doesNotContain("Generated password");
      assertThat(again.as("admin", password).get("/api/v1/me").status()).isEqualTo(200);
      walkThroughTheApi(again.as("admin", password));
      again.stop();
    }
  }

  private static List<String> textColumnsContaining(Path database, String secret) throws Exception {
    String url = "jdbc:h2:file:" + database.toString().replace(".mv.db", "") + ";IFEXISTS=TRUE";
    List<String> hits = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
         Statement statement = connection.createStatement()) {
      List<String[]> columns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
          + "WHERE TABLE_SCHEMA = 'PUBLIC' AND DATA_TYPE IN ('CHARACTER VARYING', 'CHARACTER LARGE OBJECT', "
          + "'BINARY LARGE OBJECT', 'BINARY VARYING', 'CHARACTER')")) {
        while (rows.next()) {
          columns.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
      assertThat(columns).as("columns scanned").hasSizeGreaterThan(50);
      for (String[] column : columns) {
        try (ResultSet values = statement.executeQuery(
            "SELECT \"" + column[1] + "\" FROM \"" + column[0] + "\"")) {
          while (values.next()) {
            byte[] value = values.getBytes(1);
            if (value != null && new String(value, StandardCharsets.UTF_8).contains(secret)) {
              hits.add(column[0] + "." + column[1]);
            }
          }
        }
      }
    }
    return hits;
  }
}
