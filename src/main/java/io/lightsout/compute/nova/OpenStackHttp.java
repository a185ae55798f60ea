package io.lightsout.compute.nova;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.lightsout.bmc.Durations;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.compute.TransientComputeFault;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP+JSON to Keystone and Nova: sends one request, reads the answer, and turns what fails on the way into
 * {@link TransientComputeFault}s. Every fault message passes through {@link #redact}, so that the password never
 * leaves in one, even when a service quotes it back.
 */
final class OpenStackHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final String REDACTED = "******";

  private final HttpClient client;
  private final Duration requestTimeout;
  private final String password;

  OpenStackHttp(NovaProperties properties) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(properties.getConnectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    this.requestTimeout = properties.getRequestTimeout();
    this.password = properties.getPassword();
  }

  /** A request to {@code uri} with the timeout and JSON headers every call carries; the caller adds its own. */
  HttpRequest.Builder request(URI uri, String method, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Accept", "application/json").header("User-Agent", "Lights-Out nova driver");
    if (body == null) {
      return request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return request.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
  }

  /**
   * Sends and reads the whole answer.
   *
   * @param service "Nova at http://..." or "Keystone at http://...", to begin fault messages with
   * @param during  what was being done, e.g. "listing the servers on host c1"
   * @throws TransientComputeFault when the service could not be reached or did not answer in time
   */
  Response send(HttpRequest request, String service, String during) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String text = response.body();
      return new Response(response, new Answer(response.statusCode(), read(text), text));
    } catch (HttpConnectTimeoutException e) {
      throw transientFault(service + " could not be reached while " + during + ": no connection within "
          + Durations.human(client.connectTimeout().orElse(requestTimeout)), e);
    } catch (HttpTimeoutException e) {
      throw transientFault(service + " did not answer within " + Durations.human(requestTimeout) + " while "
          + during, e);
    } catch (ConnectException e) {
      throw transientFault(service + " could not be reached while " + during + ": connection refused", e);
    } catch (IOException e) {
      throw transientFault(service + " could not be reached while " + during + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw transientFault("Interrupted while " + during + " (" + service + ")", e);
    }
  }

  /** The response (for its headers) and its {@link Answer}. */
  record Response(HttpResponse<String> http, Answer answer) {

    String header(String name) {
      return http.headers().firstValue(name).orElse(null);
    }
  }

  FatalComputeFault fatalFault(String message) {
    return new FatalComputeFault(redact(message));
  }

  TransientComputeFault transientFault(String message, Throwable cause) {
    return new TransientComputeFault(redact(message), cause);
  }

  /** The text with every occurrence of the password replaced. */
  String redact(String text) {
    if (text == null || password == null || password.isEmpty()) {
      return text;
    }
    return text.replace(password, REDACTED);
  }

  private static JsonNode read(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  private static String write(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON body", e);
    }
  }
}
