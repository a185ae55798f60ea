package io.lightsout.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hostile values and bodies the input suite sends. Data only: to cover a new endpoint, describe it
 * in {@link HostileInputTest#ENDPOINTS}; every field, id and query parameter gets every value here.
 */
final class HostileCorpus {

  /** Would set a process variable if any expression were evaluated; the suite checks it never exists. */
  static final String CANARY = "elCanary";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HostileCorpus() {}

  /** Strings that try to escape their field: traversal, injection, expressions, odd characters, sizes. */
  static final List<String> STRINGS = List.of(
      "", " ", "\t\n", "null", "undefined", "0", "-1", "1e309", "true",
      "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/dev/zero", "file:///etc/shadow",
      "' OR '1'='1", "'; DROP TABLE lo_node; --", "\"; DELETE FROM act_id_user; --", "1; SELECT pg_sleep(10)",
      "${1+1}", "#{7*7}", "${execution.setVariable('" + CANARY + "', 1)}", "#{execution.setVariable('" + CANARY + "', 1)}",
      "${T(java.lang.Runtime).getRuntime().exec('id')}", "${jndi:ldap://127.0.0.1:1389/a}", "{{7*7}}", "%s%s%s%n",
      "<script>alert(1)</script>", "a\r\nSet-Cookie: x=1", "\u0000", "nul\u0000inside", "\u001b[31mred",
      "\u202eevil\u202c", "zero\u200bwidth", "\uD83D\uDCA5\uD83D\uDD25", "Ω≈ç√∫˜µ≤≥÷", "\uFEFFbom", "\uD800",
      "x".repeat(300), "y".repeat(2_100), "z".repeat(20_000));

  /** Values of the wrong JSON type for any field. */
  static final List<Object> WRONG_TYPES = List.of(42, -1, 3.5e300, true, List.of("a", "b"), Map.of("nested", "object"),
      List.of());

  /** Whole bodies that are not what any endpoint reads. */
  static List<String> bodies() {
    List<String> bodies = new ArrayList<>(List.of("", "null", "[]", "\"text\"", "42", "{", "{\"a\":", "}{",
        "{\"a\":1}}", "\uFEFF{}", "{'single':'quotes'}", "{\"a\":NaN}", "{\"a\":1e999999}",
        "{\"a\":" + "9".repeat(5_000) + "}", "{\"a\":\"" + "\\ud800" + "\"}"));
    bodies.add("[".repeat(5_000) + "]".repeat(5_000));
    bodies.add("{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000));
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 4_000; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    bodies.add(wide.append('}').toString());
    bodies.add("{\"a\":\"" + "b".repeat(70_000) + "\"}");
    return bodies;
  }

  /** Content types a JSON endpoint must refuse (or read as JSON only when they say so). */
  static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "application/json; charset=UTF-16", "application/json; charset=nonsense",
      "application/x-java-serialized-object", "*/*", "application/yaml");

  /** Every field path of a body ("bmc.host"), nested objects included. */
  static List<String> fieldPaths(Map<String, Object> body) {
    List<String> paths = new ArrayList<>();
    body.forEach((name, value) -> {
      paths.add(name);
      if (value instanceof Map<?, ?> nested) {
        fieldPaths(cast(nested)).forEach(inner -> paths.add(name + "." + inner));
      }
    });
    return paths;
  }

  /** A deep copy of the body with the field replaced (or removed when {@code remove}). */
  static Map<String, Object> with(Map<String, Object> body, String path, Object value, boolean remove) {
    Map<String, Object> copy = deepCopy(body);
    String[] parts = path.split("\\.");
    Map<String, Object> target = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      target = cast(target.get(parts[i]));
    }
    if (remove) {
      target.remove(parts[parts.length - 1]);
    } else {
      target.put(parts[parts.length - 1], value);
    }
    return copy;
  }

  /** The body as JSON text with the (top-level or nested) field given twice, the second time with another value. */
  static String duplicated(Map<String, Object> body, String path) {
    String text = write(body);
    String name = path.substring(path.lastIndexOf('.') + 1);
    String key = "\"" + name + "\":";
    int at = text.indexOf(key);
    return text.substring(0, at) + key + "\"other\"," + text.substring(at);
  }

  static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> deepCopy(Map<String, Object> body) {
    Map<String, Object> copy = new LinkedHashMap<>();
    body.forEach((name, value) -> copy.put(name, value instanceof Map<?, ?> nested ? deepCopy(cast(nested)) : value));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object map) {
    return (Map<String, Object>) map;
  }
}
