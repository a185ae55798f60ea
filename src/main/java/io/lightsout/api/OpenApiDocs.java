package io.lightsout.api;

import io.lightsout.bmc.PowerAction;
import io.lightsout.power.IfBusy;
import io.lightsout.power.RequestStatus;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The OpenAPI document of {@code /api/v1}, told here rather than in annotations on the controllers: HTTP Basic
 * security (Swagger UI's Authorize button), the answers each operation really gives with problem+json errors,
 * and the wire values of actions, {@code ifBusy} and statuses, taken from the domain enums.
 */
@Configuration
class OpenApiDocs {

  static final String SECURITY = "basicAuth";
  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";

  /** Success and the operation-specific errors, by "METHOD path"; every operation also gets the common ones. */
  private static final Map<String, Doc> OPERATIONS = Map.ofEntries(
      Map.entry("POST /api/v1/nodes/{nodeId}/power-requests", new Doc(
          "Ask for a power change: queued per node, answered at once", "202",
          "Accepted and queued (or merged into the node's last open request); Location names the request", Map.of(
              "200", "Replay: this Idempotency-Key was used within 24 h; the request it made, unchanged",
              "400", "Bad input: unknown action or ifBusy, callbackUrl not on the allow-list",
              "404", "The node does not exist",
              "409", "The node is busy and ifBusy=reject, or the Idempotency-Key belongs to another request",
              "503", "The node's queue (or the fleet's) is full: retry after Retry-After seconds"))),
      Map.entry("GET /api/v1/power-requests/{id}", new Doc("Read a power request", "200", "The request", Map.of(
          "404", "The request does not exist"))),
      Map.entry("DELETE /api/v1/power-requests/{id}", new Doc("Cancel a queued or held power request", "200",
          "Cancelled; the request as it is now", Map.of(
              "404", "The request does not exist",
              "409", "The request is running or final: it cannot be cancelled"))),
      Map.entry("GET /api/v1/nodes/{nodeId}/queue", new Doc("A node's open requests, in order", "200", "The queue",
          Map.of("404", "The node does not exist"))),
      Map.entry("GET /api/v1/nodes/{nodeId}/history", new Doc("A node's requests, newest first", "200", "One page",
          Map.of("404", "The node does not exist"))),
      Map.entry("POST /api/v1/nodes", new Doc("Register a node and its BMC (the password is sealed at once); the BMC "
          + "is checked by reading its power state unless ?check=false", "201",
          "Registered, with the power state just read; Location names the node", Map.of(
              "409", "A node with this id exists",
              "422", "The BMC did not answer, refused the credentials or has a wrong address: nothing stored; "
                  + "the driver's reason in detail (?check=false registers a node not cabled yet)"))),
      Map.entry("GET /api/v1/nodes/{id}", new Doc("Read a node", "200", "The node (never its BMC password)",
          Map.of("404", "The node does not exist"))),
      Map.entry("PUT /api/v1/nodes/{id}", new Doc("Change a node's name or BMC (a held node's too; the BMC is checked "
          + "unless ?check=false)", "200", "The node as it is now", Map.of(
              "404", "The node does not exist",
              "409", "The node has open power requests and is not held, or a request is running at its BMC",
              "422", "The new BMC settings did not answer: nothing changed; the driver's reason in detail"))),
      Map.entry("DELETE /api/v1/nodes/{id}", new Doc("Remove a node", "204", "Removed", Map.of(
          "404", "The node does not exist",
          "409", "The node has open power requests, or is the BMC node of a compute host"))),
      Map.entry("POST /api/v1/nodes/{id}/hold", new Doc("Hold a node's queue by hand", "200", "The node, held",
          Map.of("404", "The node does not exist"))),
      Map.entry("POST /api/v1/nodes/{id}/resume", new Doc("Lift a node's hold; its queue goes on", "200",
          "The node, resumed", Map.of("404", "The node does not exist"))),
      Map.entry("POST /api/v1/hosts", new Doc("Register a compute host", "201", "Registered; Location names the host",
          Map.of("409", "A host with this id exists"))),
      Map.entry("GET /api/v1/hosts/{id}", new Doc("Read a compute host", "200", "The host",
          Map.of("404", "The host does not exist"))),
      Map.entry("PUT /api/v1/hosts/{id}", new Doc("Change a host's state or capacity", "200", "The host as it is now",
          Map.of("404", "The host does not exist", "409", "The host is being evacuated"))),
      Map.entry("DELETE /api/v1/hosts/{id}", new Doc("Remove a compute host", "204", "Removed",
          Map.of("404", "The host does not exist", "409", "The host still has instances or is being evacuated"))),
      Map.entry("POST /api/v1/hosts/{id}/evacuations", new Doc("Evacuate a failed host: fence, then rebuild elsewhere",
          "202", "Started; Location names the evacuation", Map.of(
              "200", "An evacuation of this host is running: that one",
              "404", "The host does not exist"))),
      Map.entry("POST /api/v1/instances", new Doc("Register a workload instance", "201",
          "Registered; Location names the instance", Map.of("409", "An instance with this id exists"))),
      Map.entry("GET /api/v1/instances/{id}", new Doc("Read an instance", "200", "The instance",
          Map.of("404", "The instance does not exist"))),
      Map.entry("DELETE /api/v1/instances/{id}", new Doc("Remove an instance", "204", "Removed",
          Map.of("404", "The instance does not exist", "409", "An evacuation is moving the instance"))),
      Map.entry("GET /api/v1/evacuations/{id}", new Doc("Read an evacuation, instance by instance", "200",
          "The evacuation", Map.of("404", "The evacuation does not exist"))),
      Map.entry("GET /api/v1/evacuations", new Doc("List evacuations (by host, by status)", "200", "One page", Map.of())),
      Map.entry("GET /api/v1/nodes", new Doc("List nodes", "200", "One page", Map.of())),
      Map.entry("GET /api/v1/holds", new Doc("List held nodes and why", "200", "The holds", Map.of())),
      Map.entry("GET /api/v1/hosts", new Doc("List compute hosts", "200", "One page", Map.of())),
      Map.entry("GET /api/v1/instances", new Doc("List instances (by host)", "200", "One page", Map.of())),
      Map.entry("GET /api/v1/me", new Doc("Who is calling, and in which groups", "200", "The caller", Map.of())));

  /** Swagger UI's sections, in this order: the first path prefix that matches names an operation's section. */
  private static final List<Map.Entry<String, String>> SECTIONS = List.of(
      Map.entry("/api/v1/nodes/{nodeId}/", "Power requests"),
      Map.entry("/api/v1/power-requests", "Power requests"),
      Map.entry("/api/v1/holds", "Holds"),
      Map.entry("/api/v1/nodes/{id}/hold", "Holds"),
      Map.entry("/api/v1/nodes/{id}/resume", "Holds"),
      Map.entry("/api/v1/nodes", "Nodes"),
      Map.entry("/api/v1/hosts/{id}/evacuations", "Evacuations"),
      Map.entry("/api/v1/evacuations", "Evacuations"),
      Map.entry("/api/v1/hosts", "Compute hosts"),
      Map.entry("/api/v1/instances", "Compute hosts"),
      Map.entry("/api/v1/me", "Caller"));

  private record Doc(String summary, String success, String successDescription, Map<String, String> errors) {}

  @Bean
  OpenApiCustomizer lightsOutApiDocs() {
    return OpenApiDocs::describe;
  }

  static void describe(OpenAPI api) {
    api.info(new Info().title("Lights-Out API").version("v1").description("""
        Power changes of bare-metal nodes through their BMCs, one request after the other per node, and \
        evacuations of failed compute hosts. Every call needs HTTP Basic authentication against Camunda's users \
        (members of `operators` may act, `viewers` only read). Errors are RFC 9457 problem+json with the reason \
        in `detail`."""));
    Components components = api.getComponents() == null ? new Components() : api.getComponents();
    api.setComponents(components);
    components.addSecuritySchemes(SECURITY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
        .description("A Camunda user (Admin app); 10 failed log-ins a minute from one address give 429"));
    api.setSecurity(List.of(new SecurityRequirement().addList(SECURITY)));
    components.addSchemas(PROBLEM, problemSchema());
    describeValues(components);
    api.setTags(SECTIONS.stream().map(Map.Entry::getValue).distinct().map(name -> new Tag().name(name)).toList());
    if (api.getPaths() != null) {
      api.getPaths().forEach(OpenApiDocs::describePath);
    }
  }

  private static void describePath(String path, PathItem item) {
    item.readOperationsMap().forEach((method, operation) -> {
      Doc doc = OPERATIONS.get(method.name() + " " + path);
      SECTIONS.stream().filter(section -> path.startsWith(section.getKey())).findFirst()
          .ifPresent(section -> operation.setTags(List.of(section.getValue())));
      ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
      operation.setResponses(responses);
      if (doc != null) {
        operation.setSummary(doc.summary());
        ApiResponse generated = responses.remove("200");
        ApiResponse success = generated == null ? new ApiResponse() : generated;
        success.setDescription(doc.successDescription());
        if (doc.success().equals("204")) {
          success.setContent(null);
        }
        if (doc.success().equals("201") || doc.success().equals("202")) {
          success.addHeaderObject("Location", header("Where the new resource is read"));
        }
        responses.addApiResponse(doc.success(), success);
        doc.errors().forEach((code, description) -> responses.addApiResponse(code,
            code.startsWith("2") ? sameBodyAs(success, description) : problem(code, description, path)));
      }
      if (operation.getParameters() != null) {
        operation.getParameters().stream().filter(parameter -> "Idempotency-Key".equals(parameter.getName()))
            .forEach(parameter -> parameter.description("Your key for this request (1 to 200 characters): sent "
                + "again within 24 h, it answers 200 with the request it made instead of queuing another").example(
                "change-4711-cycle"));
      }
      boolean write = method != PathItem.HttpMethod.GET;
      boolean queried = operation.getParameters() != null
          && operation.getParameters().stream().anyMatch(parameter -> "query".equals(parameter.getIn()));
      if (write || queried) {
        responses.putIfAbsent("400", problem("400", "Bad input (body, parameters or header): detail says what is wrong",
            path));
      }
      if (write) {
        responses.addApiResponse("403", problem("403", "The user may only read (group viewers)", path));
      }
      responses.addApiResponse("401", problem("401", "No or wrong HTTP Basic credentials", path));
      responses.addApiResponse("429", retryLater(problem("429",
          "Too many failed log-ins from this address: retry after Retry-After seconds", path)));
      ApiResponse unavailable = responses.get("503");
      responses.addApiResponse("503", retryLater(unavailable != null ? unavailable
          : problem("503", "The database is unreachable: retry after Retry-After seconds", path)));
      responses.values().forEach(OpenApiDocs::json);
    });
  }

  private static ApiResponse sameBodyAs(ApiResponse success, String description) {
    return new ApiResponse().description(description).content(success.getContent());
  }

  /** A problem+json answer, its example as the API would write it. */
  private static ApiResponse problem(String code, String description, String path) {
    int status = Integer.parseInt(code);
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", "about:blank");
    example.put("title", HttpStatus.valueOf(status).getReasonPhrase());
    example.put("status", status);
    example.put("detail", description);
    example.put("instance", path);
    return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)).example(example)));
  }

  /** Answers are JSON: springdoc's generated any-type becomes application/json. */
  private static void json(ApiResponse response) {
    Content content = response.getContent();
    if (content != null && content.containsKey("*/*")) {
      content.addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, content.remove("*/*"));
    }
  }

  private static ApiResponse retryLater(ApiResponse response) {
    return response.addHeaderObject("Retry-After", header("Seconds to wait before trying again")
        .schema(new IntegerSchema()));
  }

  private static Header header(String description) {
    return new Header().description(description).schema(new StringSchema());
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema().description("RFC 9457 problem details; some errors add fields (for example `status`)")
        .addProperty("type", new StringSchema())
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema().description("Why, in words"))
        .addProperty("instance", new StringSchema().description("The path called"))
        .additionalProperties(Boolean.TRUE);
  }

  /** The wire values of the request bodies and views, from the enums the service parses them with. */
  private static void describeValues(Components components) {
    List<String> actions = wire(PowerAction.values(), PowerAction::wireName);
    List<String> ifBusy = wire(IfBusy.values(), IfBusy::wireName);
    List<String> statuses = wire(RequestStatus.values(), RequestStatus::wireName);
    Map<String, Schema> schemas = components.getSchemas();
    if (schemas == null) {
      return;
    }
    Schema<?> input = schemas.get("PowerRequestInput");
    if (input != null) {
      input.example(Map.of("action", "cycle", "reason", "kernel update", "ifBusy", "queue"));
      values(input, "action", actions, "cycle", "What to do: cycle is off, verify, on, verify (never the BMC's cycle)");
      values(input, "ifBusy", ifBusy, "queue", "When the node has open requests: queue behind them (default), "
          + "reject with 409, or replace the waiting ones (they end superseded)");
      describe(input, "reason", "Why, for the history", "kernel update");
      describe(input, "callbackUrl", "Gets the final request as JSON (allow-listed hosts only)",
          "https://hooks.example.com/lightsout");
    }
    Schema<?> view = schemas.get("PowerRequestView");
    if (view != null) {
      values(view, "action", actions, "cycle", null);
      values(view, "ifBusy", ifBusy, "queue", null);
      values(view, "status", statuses, "queued", "merged points to its request with mergedInto; every final "
          + "status has a result in words; held: waiting behind the node's hold (see hold), back to queued on resume");
      Schema<?> hold = view.getProperties().get("hold");
      if (hold != null) {
        hold.setDescription("Present while the request waits behind its node's hold: the hold's kind, reason and "
            + "since (an evacuation's fencing 'off' passes the hold)");
      }
    }
  }

  private static <E> List<String> wire(E[] values, Function<E, String> name) {
    return Arrays.stream(values).map(name).toList();
  }

  @SuppressWarnings("unchecked")
  private static void values(Schema<?> schema, String property, List<String> values, String example, String description) {
    Schema<String> field = (Schema<String>) schema.getProperties().get(property);
    if (field != null) {
      field.setEnum(values);
      field.setExample(example);
      if (description != null) {
        field.setDescription(description);
      }
    }
  }

  private static void describe(Schema<?> schema, String property, String description, String example) {
    Schema<?> field = schema.getProperties().get(property);
    if (field != null) {
      field.setDescription(description);
      field.setExample(example);
    }
  }
}
