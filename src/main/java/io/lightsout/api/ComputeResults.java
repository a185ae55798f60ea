package io.lightsout.api;

import io.lightsout.compute.HostService.Change;
import org.springframework.http.HttpStatus;

/** Maps a refused change of hosts or instances to its problem answer. */
final class ComputeResults {

  private ComputeResults() {}

  static void orThrow(Change change) {
    if (change instanceof Change.Refused refused) {
      HttpStatus status = switch (refused.kind()) {
        case INVALID -> HttpStatus.BAD_REQUEST;
        case NOT_FOUND -> HttpStatus.NOT_FOUND;
        case CONFLICT -> HttpStatus.CONFLICT;
      };
      throw new ApiException(status, refused.reason());
    }
  }
}
