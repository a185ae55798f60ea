package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server standing in for the system that rebuilds instances (the inventory driver's
 * rebuild webhook): it records every call with its time, {@code Idempotency-Key} and body, and answers as
 * told per instance: fail the first N calls (503), refuse a target host (400), or take its time.
 */
public final class RebuildReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static RebuildReceiver shared;

  /** One call as received. */
  public record Call(long epochMillis, String idempotencyKey, String evacuationId, String instanceId, String fromHost,
                     String toHost, int answered) {}

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> transientFailures = new ConcurrentHashMap<>();
  private final Map<String, String> refusedTargets = new ConcurrentHashMap<>();
  private final Set<String> refusedEverywhere = ConcurrentHashMap.newKeySet();
  private volatile Duration delay = Duration.ZERO;

  private RebuildReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", exchange -> {
      JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String instanceId = body.path("instanceId").asText();
      String toHost = body.path("toHost").asText(null);
      pause();
      int status = 200;
      AtomicInteger failures = transientFailures.get(instanceId);
      if (failures != null && failures.getAndDecrement() > 0) {
        status = 503;
      } else if (toHost != null && (refusedEverywhere.contains(instanceId)
          || toHost.equals(refusedTargets.get(instanceId)))) {
        status = 400;
      }
      calls.add(new Call(System.currentTimeMillis(), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
          body.path("evacuationId").asText(), instanceId, body.path("fromHost").asText(), toHost, status));
      byte[] answer = (status == 400 ? "{\"error\":\"host " + toHost + " cannot take " + instanceId + "\"}" : "{}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  /** The receiver every test of the shared application context talks to. */
  public static synchronized RebuildReceiver shared() {
    if (shared == null) {
      shared = new RebuildReceiver();
    }
    return shared;
  }

  public static RebuildReceiver start() {
    return new RebuildReceiver();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/rebuild";
  }

  /** Calls about this evacuation, in the order received. */
  public List<Call> callsOf(String evacuationId) {
    return calls.stream().filter(c -> c.evacuationId().equals(evacuationId)).toList();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The next {@code n} calls for this instance answer 503. */
  public void failTransiently(String instanceId, int n) {
    transientFailures.put(instanceId, new AtomicInteger(n));
  }

  /** Calls that rebuild this instance on this host answer 400. */
  public void refuseTarget(String instanceId, String host) {
    refusedTargets.put(instanceId, host);
  }

  /** Calls that rebuild this instance answer 400, whatever their target. */
  public void refuseEveryTarget(String instanceId) {
    refusedEverywhere.add(instanceId);
  }

  /** Calls for this instance are no longer refused for their target. */
  public void allowTargets(String instanceId) {
    refusedTargets.remove(instanceId);
    refusedEverywhere.remove(instanceId);
  }

  /** Every call waits this long before it is answered. */
  public void delay(Duration delay) {
    this.delay = delay;
  }

  private void pause() {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
