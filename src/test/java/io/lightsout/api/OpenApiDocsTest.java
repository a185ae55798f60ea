package io.lightsout.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document as Swagger UI reads it from {@code /v3/api-docs}, and the answers it promises. */
class OpenApiDocsTest extends PostgresIntegrationTest {

  private static final String POWER_REQUESTS = "/api/v1/nodes/{nodeId}/power-requests";

  private JsonNode docs() {
    ApiClient.Response answer = anonymous().get("/v3/api-docs");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  @Test
  void aPowerRequestIsAcceptedWith202AndItsRefusalsAreListed() {
    JsonNode responses = docs().at("/paths/" + escape(POWER_REQUESTS) + "/post/responses");

    assertThat(fieldNames(responses)).contains("202", "200", "400", "401", "403", "404", "409", "429", "503");
    assertThat(responses.at("/202/content/application~1json/schema/$ref").asText()).endsWith("/PowerRequestView");
    assertThat(responses.at("/409/content/application~1problem+json/example/status").asInt()).isEqualTo(409);
    assertThat(responses.at("/202/headers/Location").isMissingNode()).isFalse();
    assertThat(responses.at("/503/headers/Retry-After/schema/type").asText()).isEqualTo("integer");
    assertThat(responses.at("/503/description").asText()).contains("queue");
    assertThat(responses.at("/429/headers/Retry-After").isMissingNode()).isFalse();
  }

  @Test
  void actionsIfBusyAndStatusesListTheirWireValues() {
    JsonNode schemas = docs().at("/components/schemas");

    assertThat(texts(schemas.at("/PowerRequestInput/properties/action/enum")))
        .containsExactly("on", "off", "cycle", "reset", "soft-off");
    assertThat(texts(schemas.at("/PowerRequestInput/properties/ifBusy/enum"))).containsExactly("queue", "reject", "replace");
    assertThat(texts(schemas.at("/PowerRequestView/properties/status/enum"))).containsExactlyInAnyOrder(
        "queued", "running", "succeeded", "failed", "cancelled", "merged", "superseded", "held");
    assertThat(schemas.at("/PowerRequestInput/example/action").asText()).isEqualTo("cycle");
  }

  @Test
  void httpBasicIsTheSecuritySchemeOfEveryOperation() {
    JsonNode docs = docs();

    assertThat(docs.at("/components/securitySchemes/basicAuth/type").asText()).isEqualTo("http");
    assertThat(docs.at("/components/securitySchemes/basicAuth/scheme").asText()).isEqualTo("basic");
    assertThat(docs.at("/security/0/basicAuth").isArray()).isTrue();
  }

  @Test
  void everyErrorOfEveryOperationIsProblemJson() {
    JsonNode docs = docs();
    List<String> errors = new ArrayList<>();
    docs.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation ->
        operation.getValue().get("responses").fields().forEachRemaining(response -> {
          if (Integer.parseInt(response.getKey()) >= 400) {
            errors.add(operation.getKey() + " " + path.getKey() + " " + response.getKey());
            assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                .as(operation.getKey() + " " + path.getKey() + " " + response.getKey())
                .isEqualTo("#/components/schemas/Problem");
          }
        })));
    assertThat(errors).contains("delete /api/v1/power-requests/{id} 409", "get /api/v1/nodes/{id} 404");
    assertThat(docs.at("/components/schemas/Problem/properties/detail/type").asText()).isEqualTo("string");
  }

  @Test
  void theDocumentedRefusalIsTheOneGiven() {
    ApiClient.Response refused = asAdmin().post("/api/v1/nodes/no-such-node/power-requests", Map.of("action", "on"));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().get("detail").asText()).contains("no-such-node");
    assertThat(docs().at("/paths/" + escape(POWER_REQUESTS) + "/post/responses/404/description").asText())
        .isEqualTo("The node does not exist");
  }

  private static String escape(String path) {
    return path.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
