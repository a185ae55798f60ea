package io.lightsout.compute.nova;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.Map;

/**
 * One HTTP answer of Keystone or Nova: the status and the body read as JSON ({@link MissingNode} when it is
 * empty or not JSON), with the service's own error message picked out of it.
 */
record Answer(int status, JsonNode json, String text) {

  private static final int MAX_QUOTE = 300;

  boolean ok() {
    return status / 100 == 2;
  }

  /**
   * The message of an OpenStack error body: Nova's {@code {"badRequest": {"code": 400, "message": "..."}}} (the
   * key names the kind) or Keystone's {@code {"error": {"code": 401, "title": "...", "message": "..."}}}; else the
   * start of the body as it came, or "no message".
   */
  String message() {
    for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
      JsonNode message = fields.next().getValue().path("message");
      if (message.isTextual() && !message.asText().isBlank()) {
        return shorten(message.asText().strip());
      }
    }
    return text == null || text.isBlank() ? "no message" : shorten(text.strip());
  }

  /** "400 "Compute service of h1 is still in use."": the status and the quoted message, for fault messages. */
  String quoted() {
    return status + " \"" + message() + "\"";
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_QUOTE ? oneLine : oneLine.substring(0, MAX_QUOTE) + "…";
  }
}
