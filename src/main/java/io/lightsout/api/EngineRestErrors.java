package io.lightsout.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.stereotype.Component;

/**
 * The engine REST API's answer to a call that names something that does not exist (a task, an execution, a process
 * definition) or leaves out a value the engine requires: Camunda answers many of those {@code 500} and logs each one as a
 * WARN with its whole stack trace, so any caller with a typo could fill the log. Here they are {@code 404} (not
 * found) or {@code 400} (a value missing), with Camunda's own error body, and logged at DEBUG like Camunda's other
 * client errors. Every other error keeps Camunda's answer and logging.
 */
@Component
class EngineRestErrors implements ResourceConfigCustomizer {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestErrors.class);
  /** Camunda's wording when an id names nothing: "task x doesn't exist", "Cannot find task with id x", ... */
  private static final Pattern NOT_FOUND = Pattern.compile("doesn't exist|does not exist|not found|Cannot find|"
      + "no deployed", Pattern.CASE_INSENSITIVE);
  /** Ahead of Camunda's mapper of the same exception type (Jersey's default priority is 5000). */
  private static final int BEFORE_CAMUNDA = 1000;

  @Override
  public void customize(ResourceConfig config) {
    config.register(WrappedMissingValues.class, BEFORE_CAMUNDA);
    config.register(MissingValues.class, BEFORE_CAMUNDA);
  }

  /**
   * A {@link NullValueException} or {@link BadUserRequestException} (the caller's mistake, in Camunda's own terms) that
   * an engine REST resource wrapped in a {@code 500} {@link RestException}.
   */
  static final class WrappedMissingValues implements ExceptionMapper<RestException> {
    @Override
    public Response toResponse(RestException e) {
      return answer(e);
    }
  }

  /** A {@link NullValueException} that reached the REST layer as it was thrown. */
  static final class MissingValues implements ExceptionMapper<NullValueException> {
    @Override
    public Response toResponse(NullValueException e) {
      return answer(e);
    }
  }

  static Response answer(Throwable e) {
    ExceptionHandlerHelper camunda = ExceptionHandlerHelper.getInstance();
    ProcessEngineException mistake = callersMistake(e);
    if (mistake == null || camunda.getStatus(e) != Response.Status.INTERNAL_SERVER_ERROR) {
      return camunda.getResponse(e);
    }
    Response.Status status = NOT_FOUND.matcher(String.valueOf(mistake.getMessage())).find()
        ? Response.Status.NOT_FOUND : Response.Status.BAD_REQUEST;
    LOG.debug("Engine REST call answered {}: {}", status.getStatusCode(), e.getMessage());
    return Response.status(status).entity(camunda.fromException(e)).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  private static ProcessEngineException callersMistake(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof NullValueException || cause instanceof BadUserRequestException) {
        return (ProcessEngineException) cause;
      }
    }
    return null;
  }
}
