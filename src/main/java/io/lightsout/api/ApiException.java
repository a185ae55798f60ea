package io.lightsout.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error answer of the API: its status, a reason for people, and optional extra problem fields. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final Map<String, Object> properties;

  public ApiException(HttpStatus status, String reason) {
    this(status, reason, Map.of());
  }

  public ApiException(HttpStatus status, String reason, Map<String, Object> properties) {
    super(reason);
    this.status = status;
    this.properties = Map.copyOf(properties);
  }

  public HttpStatus status() {
    return status;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
