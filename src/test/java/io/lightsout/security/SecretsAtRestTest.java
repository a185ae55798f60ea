package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every text and binary column of the whole database (Camunda's tables and ours): no password in clear text. */
class SecretsAtRestTest extends PostgresIntegrationTest {

  private static final String BMC_PASSWORD = "at-rest-bmc-pw-Qm4";

  @Autowired
  JdbcTemplate jdbc;

  @Test
  void noPasswordIsStoredInClearText() {
    ApiClient.Response created = asAdmin().post("/api/v1/nodes", Map.of("id", "at-rest-node",
        "bmc", Map.of("driver", "sim", "host", "at-rest", "username", "admin", "password", BMC_PASSWORD)));
    assertThat(created.status()).as(created.toString()).isIn(201, 409);
    asMemberOf("vera", Caller.VIEWERS);
    List<String> secrets = List.of(BMC_PASSWORD, ADMIN_PASSWORD, TestUsers.passwordOf("vera"));

    List<Map<String, Object>> columns = jdbc.queryForList("SELECT table_name, column_name FROM information_schema.columns"
        + " WHERE table_schema = 'public' AND data_type IN ('character varying', 'text', 'bytea', 'character')");
    List<String> hits = new ArrayList<>();
    for (Map<String, Object> column : columns) {
      String sql = "SELECT \"" + column.get("column_name") + "\" FROM \"" + column.get("table_name") + "\"";
      jdbc.query(sql, rs -> {
        byte[] value = rs.getBytes(1);
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        secrets.stream().filter(text::contains).forEach(s -> hits.add(column.get("table_name") + "." + column.get("column_name")));
      });
    }

    assertThat(columns).as("columns scanned").hasSizeGreaterThan(100);
    assertThat(hits).isEmpty();
  }
}
