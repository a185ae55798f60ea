package io.lightsout.api;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.internal.spi.ForcedAutoDiscoverable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine REST calls that are the caller's mistake but that Camunda answers {@code 500}, logging a WARN with the whole
 * stack trace each time, so any caller with a typo could fill the log. Here they are {@code 404} when they name
 * something that does not exist and {@code 400} when the request lacks a value the engine needs, with Camunda's own
 * error body, logged at DEBUG like Camunda's other client errors. Taken for the caller's mistake:
 * <ul>
 * <li>a {@link NullValueException} or {@link BadUserRequestException} (Camunda's own words for it), thrown as it is or
 * wrapped in a {@code 500} {@link RestException} ({@code POST /task/{id}/complete} of no task);</li>
 * <li>a {@code 500} {@link RestException} of its own saying "No job found with id ..." ({@code PUT /job/{id}/duedate});</li>
 * <li>a {@link NullPointerException} thrown by the REST layer's own code, reading a value the request body left out
 * ({@code PUT /job/{id}/retries} without {@code retries}).</li>
 * </ul>
 * Every other error keeps Camunda's answer and logging (a {@link NullPointerException} inside the engine is a fault).
 * Jersey finds this class by itself (META-INF/services) and applies it to every JAX-RS application of the JVM: the
 * engine REST API at {@code /engine-rest} and the one the webapps use ({@code /camunda/api/engine}, where Tasklist
 * completes a review task that another operator completed a moment before).
 */
@ConstrainedTo(RuntimeType.SERVER)
public final class EngineRestErrors implements ForcedAutoDiscoverable {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestErrors.class);
  /** Camunda's wording when an id names nothing: "task x doesn't exist", "Cannot find task with id x", ... */
  private static final Pattern NOT_FOUND = Pattern.compile("doesn't exist|does not exist|not found|Cannot find|"
      + "no deployed|No \\w+ found with id", Pattern.CASE_INSENSITIVE);
  private static final String REST_LAYER = "org.camunda.bpm.engine.rest.";
  /** Ahead of Camunda's mapper of the same exception type (Jersey's default priority is 5000). */
  private static final int BEFORE_CAMUNDA = 1000;

  @Override
  public void configure(FeatureContext context) {
    for (Class<?> mapper : List.of(RestExceptions.class, MissingValues.class, NullPointers.class)) {
      if (!context.getConfiguration().isRegistered(mapper)) {
        context.register(mapper, BEFORE_CAMUNDA);
      }
    }
  }

  public static final class RestExceptions implements ExceptionMapper<RestException> {
    @Override
    public Response toResponse(RestException e) {
      return answer(e);
    }
  }

  public static final class MissingValues implements ExceptionMapper<NullValueException> {
    @Override
    public Response toResponse(NullValueException e) {
      return answer(e);
    }
  }

  public static final class NullPointers implements ExceptionMapper<NullPointerException> {
    @Override
    public Response toResponse(NullPointerException e) {
      return answer(e);
    }
  }

  static Response answer(Throwable e) {
    ExceptionHandlerHelper camunda = ExceptionHandlerHelper.getInstance();
    Response.Status status = camunda.getStatus(e) == Response.Status.INTERNAL_SERVER_ERROR ? callersMistake(e) : null;
    if (status == null) {
      return camunda.getResponse(e);
    }
    LOG.debug("Engine REST call answered {}: {}", status.getStatusCode(), e.getMessage());
    return Response.status(status).entity(camunda.fromException(e)).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** 404 or 400 when the error is the caller's mistake, null when it is not. */
  private static Response.Status callersMistake(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NullValueException || cause instanceof BadUserRequestException) {
        return namesNothing(cause) ? Response.Status.NOT_FOUND : Response.Status.BAD_REQUEST;
      }
    }
    if (e instanceof RestException && e.getCause() == null && namesNothing(e)) {
      return Response.Status.NOT_FOUND;
    }
    if (e instanceof NullPointerException && e.getStackTrace().length > 0
        && e.getStackTrace()[0].getClassName().startsWith(REST_LAYER)) {
      return Response.Status.BAD_REQUEST;
    }
    return null;
  }

  private static boolean namesNothing(Throwable e) {
    return NOT_FOUND.matcher(String.valueOf(e.getMessage())).find();
  }
}
