package io.lightsout.bmc.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.lightsout.bmc.TransientBmcFault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One BMC's Redfish service: JSON requests with a deadline, answers parsed, transport failures turned into faults. */
final class RedfishEndpoint {

  /** An answer of the BMC: status, headers and the JSON body (missing when there is none or it is not JSON). */
  record Answer(int status, Map<String, List<String>> headers, JsonNode body) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }
  }

  private static final Logger log = LoggerFactory.getLogger(RedfishEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final URI base;
  private final String address;
  private final Duration timeout;

  RedfishEndpoint(HttpClient client, URI base, String address, Duration timeout) {
    this.client = client;
    this.base = base;
    this.address = address;
    this.timeout = timeout;
  }

  String address() {
    return address;
  }

  /**
   * Sends one request; {@code what} names it in messages ("reading the power state"), {@code headers} carry the
   * authentication and never appear in a message or log.
   */
  Answer send(String method, String path, JsonNode body, Map<String, String> headers, String what) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("OData-Version", "4.0")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw RedfishFaults.transport(address, what, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBmcFault(address, "was not reached: the operation was interrupted while " + what, e);
    }
    log.debug("BMC {}: {} {} answered {}", address, method, path, response.statusCode());
    return new Answer(response.statusCode(), response.headers().map(), parse(response.body()));
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
