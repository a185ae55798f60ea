package io.lightsout.compute.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.compute.RebuildOrder;
import io.lightsout.compute.TransientComputeFault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Tells the system that really rebuilds instances (the inventory driver's {@code rebuild-webhook}) to do
 * so: {@code POST {evacuationId, instanceId, fromHost, toHost}} with {@code Idempotency-Key}, the same on
 * every retry of one claim, waiting for a 2xx. 5xx, 408, 429 and network faults may pass; other answers do not.
 */
@Component
class RebuildWebhook {

  private final URI url;
  private final Duration timeout;
  private final ObjectMapper json;
  private final HttpClient http;

  RebuildWebhook(@Value("${lightsout.compute.inventory.rebuild-webhook:}") String url,
      @Value("${lightsout.compute.inventory.rebuild-timeout:30s}") Duration timeout, ObjectMapper json) {
    this.url = url == null || url.isBlank() ? null : URI.create(url.trim());
    this.timeout = timeout;
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  boolean configured() {
    return url != null;
  }

  void post(RebuildOrder order) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("evacuationId", order.evacuationId());
    body.put("instanceId", order.instanceId());
    body.put("fromHost", order.fromHost());
    body.put("toHost", order.toHost());
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", order.idempotencyKey())
        .POST(HttpRequest.BodyPublishers.ofString(write(body))).build();
    String what = "rebuild webhook " + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + " for instance " + order.instanceId() + " -> " + order.toHost();
    HttpResponse<String> answer;
    try {
      answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new TransientComputeFault(what + ": no answer within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new TransientComputeFault(what + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientComputeFault(what + ": interrupted", e);
    }
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String said = what + ": answered " + status + quote(answer.body());
    if (status >= 500 || status == 408 || status == 429) {
      throw new TransientComputeFault(said);
    }
    throw new FatalComputeFault(said);
  }

  private static String quote(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    return " \"" + (flat.length() > 300 ? flat.substring(0, 300) + "..." : flat) + "\"";
  }

  private String write(Map<String, String> body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
