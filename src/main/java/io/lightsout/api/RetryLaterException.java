package io.lightsout.api;

import org.springframework.http.HttpStatus;

/** {@code 503} with {@code Retry-After}: a queue limit was reached; nothing was accepted. */
class RetryLaterException extends ApiException {

  private final long retryAfterSeconds;

  RetryLaterException(String reason, long retryAfterSeconds) {
    super(HttpStatus.SERVICE_UNAVAILABLE, reason);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
