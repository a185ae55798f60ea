package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A real HTTP client of the running application, with Basic authentication (or none). */
public final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String authorization;

  public ApiClient(String base, String user, String password) {
    this.base = base;
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body, Map.of());
  }

  /** Polls a power request until its status is one of these, for up to 60 s; answers it, or fails the test. */
  public JsonNode awaitRequest(String requestId, String... statuses) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode request = null;
    while (System.nanoTime() - deadline < 0) {
      request = get("/api/v1/power-requests/" + requestId).json();
      if (List.of(statuses).contains(request.get("status").asText())) {
        return request;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for request " + requestId, e);
      }
    }
    throw new AssertionError("request " + requestId + " did not become " + List.of(statuses) + ": " + request);
  }

  public Response send(String method, String path, Object body, Map<String, String> headers) {
    try {
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(30))
          .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
      if (text != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
        request.header("Content-Type", "application/json");
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      headers.forEach(request::header);
      return new Response(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An answer: status, headers, body as text and as JSON. */
  public record Response(HttpResponse<String> raw) {

    public int status() {
      return raw.statusCode();
    }

    public String body() {
      return raw.body();
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + raw.body(), e);
      }
    }

    @Override
    public String toString() {
      return raw.request().method() + " " + raw.uri() + " -> " + raw.statusCode() + " " + raw.body();
    }
  }
}
