package io.lightsout.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.api.BufferedRequest;
import io.lightsout.api.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * JSON bodies of {@code /api/**} and {@code /engine-rest/**} are checked before anything stores them, where
 * the layers behind would answer 500 to bad input: no NUL character anywhere (PostgreSQL cannot store it in
 * text); over the engine REST API a body that is an object within Jackson's limits, every variable a
 * well-formed object with a type, Strings and business keys that fit Camunda's columns, and a
 * {@code power-change} start with plain (text, number, boolean) variables only, as the domain API takes.
 * Other bodies that are not JSON pass unchanged: the endpoint refuses them itself.
 */
class JsonBodyGuard extends OncePerRequestFilter {

  /** Camunda keeps String variables in a VARCHAR(4000) column (ACT_RU_VARIABLE.TEXT_). */
  static final int MAX_STRING_VARIABLE = 4000;
  /** ACT_RU_EXECUTION.BUSINESS_KEY_ is a VARCHAR(255). */
  static final int MAX_BUSINESS_KEY = 255;
  private static final Set<String> PLAIN_TYPES = Set.of("string", "boolean", "integer", "long", "short", "double");
  private static final java.util.regex.Pattern POWER_CHANGE_START = java.util.regex.Pattern.compile(
      "/engine-rest/process-definition/(key/power-change(/tenant-id/[^/]+)?|power-change:[^/]+)/(start|submit-form)");
  private static final Set<String> VARIABLE_MAPS = Set.of("variables", "processVariables", "processVariablesLocal",
      "localVariables", "modifications", "correlationKeys", "localCorrelationKeys");
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final ObjectMapper json;
  private final ProblemWriter problems;
  private final int maxEngineRestBytes;

  JsonBodyGuard(ObjectMapper json, ProblemWriter problems, int maxEngineRestBytes) {
    this.json = json;
    this.problems = problems;
    this.maxEngineRestBytes = maxEngineRestBytes;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String type = request.getContentType();
    return !WRITES.contains(request.getMethod()) || type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean engineRest = request.getRequestURI().startsWith("/engine-rest/");
    byte[] body = request.getInputStream().readNBytes(maxEngineRestBytes + 1);
    if (body.length > maxEngineRestBytes) {
      refuse(request, response, engineRest, HttpStatus.PAYLOAD_TOO_LARGE,
          "The JSON body exceeds " + maxEngineRestBytes + " bytes; nothing was accepted.");
      return;
    }
    Optional<String> wrong = check(body, engineRest, POWER_CHANGE_START.matcher(request.getRequestURI()).matches());
    if (wrong.isPresent()) {
      refuse(request, response, engineRest, HttpStatus.BAD_REQUEST, wrong.get());
      return;
    }
    chain.doFilter(new BufferedRequest(request, body), response);
  }

  private Optional<String> check(byte[] body, boolean engineRest, boolean powerChangeStart) {
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException tooBig) {
      return Optional.of("the JSON body is too deep or a value too long: " + tooBig.getOriginalMessage());
    } catch (IOException | RuntimeException notJson) {
      return Optional.empty();
    }
    if (tree == null || tree.isMissingNode()) {
      return Optional.empty();
    }
    if (engineRest && !tree.isObject() && !tree.isArray()) {
      return Optional.of("the body must be a JSON object");
    }
    if (engineRest && tree.path("businessKey").isTextual() && tree.path("businessKey").textValue().length() > MAX_BUSINESS_KEY) {
      return Optional.of("businessKey is longer than " + MAX_BUSINESS_KEY + " characters");
    }
    if (powerChangeStart) {
      Optional<String> wrong = plainVariables(tree.path("variables"));
      if (wrong.isPresent()) {
        return wrong;
      }
    }
    return walk(tree, engineRest);
  }

  private static Optional<String> plainVariables(JsonNode variables) {
    Iterator<Map.Entry<String, JsonNode>> entries = variables.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> variable = entries.next();
      JsonNode type = variable.getValue().path("type");
      if (type.isTextual() && !PLAIN_TYPES.contains(type.textValue().toLowerCase(java.util.Locale.ROOT))) {
        return Optional.of("power-change takes plain variables (nodeId, action, reason, ...: String, number or "
            + "boolean), not " + type.textValue() + " for " + variable.getKey());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> walk(JsonNode node, boolean engineRest) {
    if (node.isTextual()) {
      return node.textValue().indexOf('\u0000') >= 0
          ? Optional.of("text values must not contain the NUL character (\\u0000)") : Optional.empty();
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().indexOf('\u0000') >= 0) {
        return Optional.of("field names must not contain the NUL character (\\u0000)");
      }
      if (engineRest && VARIABLE_MAPS.contains(field.getKey()) && field.getValue().isObject()) {
        Optional<String> wrong = variables(field.getKey(), field.getValue());
        if (wrong.isPresent()) {
          return wrong;
        }
      }
      Optional<String> inner = walk(field.getValue(), engineRest);
      if (inner.isPresent()) {
        return inner;
      }
    }
    for (JsonNode element : node.isArray() ? node : com.fasterxml.jackson.databind.node.MissingNode.getInstance()) {
      Optional<String> inner = walk(element, engineRest);
      if (inner.isPresent()) {
        return inner;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> variables(String map, JsonNode variables) {
    Iterator<Map.Entry<String, JsonNode>> entries = variables.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> variable = entries.next();
      String name = map + "." + variable.getKey();
      JsonNode value = variable.getValue();
      if (!value.isObject()) {
        return Optional.of(name + " must be an object {\"value\": ..., \"type\": ...}");
      }
      JsonNode type = value.get("type");
      if (type != null && !type.isNull() && (!type.isTextual() || type.asText().isBlank())) {
        return Optional.of(name + ".type must be the name of a variable type, such as \"String\"");
      }
      boolean string = type == null || type.isNull() || "string".equalsIgnoreCase(type.asText());
      JsonNode text = value.get("value");
      if (string && text != null && text.isTextual() && text.textValue().length() > MAX_STRING_VARIABLE) {
        return Optional.of(name + " is longer than " + MAX_STRING_VARIABLE + " characters, the most a String "
            + "variable holds");
      }
    }
    return Optional.empty();
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, boolean engineRest, HttpStatus status,
      String reason) throws IOException {
    if (!engineRest) {
      problems.write(response, status, reason, request.getRequestURI());
      return;
    }
    // the engine REST API's own error format
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), Map.of("type", "InvalidRequestException", "message", reason));
  }
}
