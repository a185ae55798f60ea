package io.lightsout.api;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
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
 * <li>a {@code 500} {@link RestException} of its own saying "No job found with id ..."
 * ({@code PUT /job/{id}/duedate});</li>
 * <li>a message with one of the {@link #CALLERS_CODES codes} the engine gives a plain {@link ProcessEngineException}
 * for a value the caller chose, thrown as it is or repeated by a {@code 500} {@link RestException}
 * ({@code PUT /job/{id}/retries} with {@code -1}, {@code POST /condition} that no conditional start event
 * answers);</li>
 * <li>a {@link NullPointerException} thrown by the REST layer's own code, reading a value the request body left out
 * ({@code PUT /job/{id}/retries} without {@code retries});</li>
 * <li>a {@link ProcessEngineException} saying that an execution waits for no such message
 * ({@code POST /execution/{id}/messageSubscriptions/{name}/trigger}): {@code 404};</li>
 * <li>a {@link NullPointerException} the engine throws at a {@link #ENGINE_NULL_POINTERS known place} for an id that
 * names nothing ({@code GET /task/{id}/deployed-form}, Tasklist's call for a Camunda Form, also when another operator
 * has just completed the task; {@code PUT /process-definition/{id}/suspended}): {@code 404} with a message of its own,
 * since the exception's says nothing to a caller.</li>
 * </ul>
 * Every other error keeps Camunda's answer and logging (any other {@link NullPointerException} inside the engine is
 * a fault).
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
  /**
   * Codes of engine messages thrown as a plain {@link ProcessEngineException} for a caller's value: a negative number
   * of retries (ENGINE-13054), a condition that no conditional start event answers (ENGINE-13043).
   */
  private static final Set<String> CALLERS_CODES = Set.of("ENGINE-13054", "ENGINE-13043");
  /** A message trigger naming an execution that waits for no such message (a plain engine exception). */
  private static final Pattern NO_SUBSCRIPTION = Pattern.compile("does not have a subscription to a message event");
  /**
   * Where the engine throws a {@link NullPointerException} for an id that names nothing, before it says so (frames
   * "class#method"), and what the caller is told instead.
   */
  private static final Map<String, String> ENGINE_NULL_POINTERS = Map.of(
      // reads the task's permission before it knows whether the task exists (Tasklist's call for a Camunda Form)
      "org.camunda.bpm.engine.impl.GetDeployedTaskFormCmd#checkAuthorization",
      "Cannot find the task: it does not exist, or it was completed or deleted meanwhile",
      // PUT /process-definition/{id}/suspended: logs the operation on the definition it did not find
      "org.camunda.bpm.engine.impl.cmd.AbstractSetProcessDefinitionStateCmd#logUserOperation",
      "Cannot find the process definition: no process definition has this id");
  /** Ahead of Camunda's mapper of the same exception type (Jersey's default priority is 5000). */
  private static final int BEFORE_CAMUNDA = 1000;

  @Override
  public void configure(FeatureContext context) {
    for (Class<?> mapper : List.of(RestExceptions.class, EngineExceptions.class, NullPointers.class)) {
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

  /** In place of Camunda's mapper of the same type, whose answer {@link #answer} gives for everything not listed. */
  public static final class EngineExceptions implements ExceptionMapper<ProcessEngineException> {
    @Override
    public Response toResponse(ProcessEngineException e) {
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
    ExceptionDto body = camunda.fromException(e);
    String missing = engineNullPointer(e);
    if (missing != null) {
      body.setType("InvalidRequestException");
      body.setMessage(missing);
    }
    return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** 404 or 400 when the error is the caller's mistake, null when it is not. */
  private static Response.Status callersMistake(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NullValueException || cause instanceof BadUserRequestException) {
        return namesNothing(cause) ? Response.Status.NOT_FOUND : Response.Status.BAD_REQUEST;
      }
      if (CALLERS_CODES.contains(codeOf(cause))) {
        return Response.Status.BAD_REQUEST;
      }
      if (cause instanceof ProcessEngineException
          && NO_SUBSCRIPTION.matcher(String.valueOf(cause.getMessage())).find()) {
        return Response.Status.NOT_FOUND;
      }
    }
    if (e instanceof RestException && e.getCause() == null && namesNothing(e)) {
      return Response.Status.NOT_FOUND;
    }
    if (e instanceof NullPointerException && e.getStackTrace().length > 0
        && e.getStackTrace()[0].getClassName().startsWith(REST_LAYER)) {
      return Response.Status.BAD_REQUEST;
    }
    return engineNullPointer(e) != null ? Response.Status.NOT_FOUND : null;
  }

  /** "ENGINE-13054" of "ENGINE-13054 The number of job retries must be ...", or "" when it has none. */
  private static String codeOf(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int space = message.indexOf(' ');
    return message.startsWith("ENGINE-") && space > 0 ? message.substring(0, space) : "";
  }

  /** What the caller is told for one of the {@link #ENGINE_NULL_POINTERS}, or null when it is none of them. */
  private static String engineNullPointer(Throwable e) {
    if (!(e instanceof NullPointerException)) {
      return null;
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      String said = ENGINE_NULL_POINTERS.get(frame.getClassName() + "#" + frame.getMethodName());
      if (said != null) {
        return said;
      }
    }
    return null;
  }

  private static boolean namesNothing(Throwable e) {
    return NOT_FOUND.matcher(String.valueOf(e.getMessage())).find();
  }
}
