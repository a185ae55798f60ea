package io.lightsout.api;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Map;
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
 * something that does not exist, {@code 409} when they conflict with what exists, and {@code 400} when the request
 * lacks a value the engine needs or has one it refuses, with Camunda's own error body, logged at DEBUG like Camunda's
 * other client errors. Taken for the caller's mistake:
 * <ul>
 * <li>a {@link NullValueException} or {@link BadUserRequestException} (Camunda's own words for it), thrown as it is or
 * wrapped in a {@code 500} {@link RestException} ({@code POST /task/{id}/complete} of no task);</li>
 * <li>a {@code 500} {@link RestException} of its own saying "No job found with id ..."
 * ({@code PUT /job/{id}/duedate});</li>
 * <li>a {@link NullPointerException} thrown by the REST layer's own code, reading a value the request body left out
 * ({@code PUT /job/{id}/retries} without {@code retries});</li>
 * <li>a plain {@link ProcessEngineException} with one of the {@link #CALLERS_MESSAGES messages} of a caller's
 * mistake, thrown as it is or repeated by a {@code 500} {@link RestException}: a negative number of retries, a
 * condition no conditional start event answers, a user or group id the engine does not allow, a signal to an
 * execution in no activity ({@code 400}), an execution that waits for no such message ({@code 404}), a deployment or
 * definition deleted while its instances run ({@code 409});</li>
 * <li>a {@link NullPointerException} the engine throws at a {@link #ENGINE_NULL_POINTERS known place} for something
 * that does not exist ({@code GET /task/{id}/deployed-form} of no task, Tasklist's call for a Camunda Form, also when
 * another operator has just completed the task, or of a task without a form; {@code PUT
 * /process-definition/{id}/suspended} of no definition: {@code 404}) or a value left out ({@code PUT
 * /user/{id}/profile} without the id: {@code 400}), with a message of its own, since the exception's says nothing
 * to a caller.</li>
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
   * Where the engine throws a {@link NullPointerException} for something the caller named that does not exist or left
   * out, before it says so, and what the caller is told instead: the first place, from the top of the stack, that the
   * exception passed through (or, for {@code thrownThere}, was thrown in).
   */
  private static final List<NullPointerPlace> ENGINE_NULL_POINTERS = List.of(
      // reads the task's permission before it knows whether the task exists (Tasklist's call for a Camunda Form)
      new NullPointerPlace("org.camunda.bpm.engine.impl.GetDeployedTaskFormCmd", "checkAuthorization", false,
          Response.Status.NOT_FOUND,
          "Cannot find the task: it does not exist, or it was completed or deleted meanwhile"),
      // GET /task/{id}/deployed-form of a task, GET .../deployed-start-form of a definition, that has no form
      new NullPointerPlace("org.camunda.bpm.engine.impl.cmd.AbstractGetDeployedFormCmd", "execute", true,
          Response.Status.NOT_FOUND, "Cannot find a deployed form: the task or process definition has no form"),
      // PUT /process-definition/{id}/suspended: logs the operation on the definition it did not find
      new NullPointerPlace("org.camunda.bpm.engine.impl.cmd.AbstractSetProcessDefinitionStateCmd", "logUserOperation",
          false, Response.Status.NOT_FOUND, "Cannot find the process definition: no process definition has this id"),
      // PUT /user/{id}/profile, PUT /group/{id}, PUT /tenant/{id} whose body leaves out the id
      new NullPointerPlace("org.camunda.bpm.engine.impl.util.EnsureUtil", "ensureWhitelistedResourceId", false,
          Response.Status.BAD_REQUEST, "The id is missing: a user, group or tenant needs one"));
  /**
   * Messages of the engine's plain exceptions that are the caller's mistake (as thrown, or repeated by the REST layer's
   * own exception), with the answer each one gets.
   */
  private static final Map<Pattern, Response.Status> CALLERS_MESSAGES = Map.of(
      // ENGINE-13054: a negative number of retries for a job or job definition
      Pattern.compile("^ENGINE-13054 "), Response.Status.BAD_REQUEST,
      // ENGINE-13043: POST /condition that no conditional start event answers
      Pattern.compile("^ENGINE-13043 "), Response.Status.BAD_REQUEST,
      // an execution named in a message trigger waits for no such message
      Pattern.compile("does not have a subscription to a message event"), Response.Status.NOT_FOUND,
      // a user, group or tenant id outside the engine's resource id pattern (letters and digits by default)
      Pattern.compile("is not a valid resource identifier"), Response.Status.BAD_REQUEST,
      // POST /execution/{id}/signal of an execution that waits in no activity (a process instance's root)
      Pattern.compile("cannot signal execution \\S+: it has no current activity"), Response.Status.BAD_REQUEST,
      // ENGINE-03076: a deployment or process definition deleted without cascade while instances still run
      Pattern.compile("^ENGINE-03076 "), Response.Status.CONFLICT);
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
    boolean serverError = camunda.getStatus(e) == Response.Status.INTERNAL_SERVER_ERROR;
    NullPointerPlace place = serverError ? engineNullPointer(e) : null;
    Response.Status status = !serverError ? null : place != null ? place.status() : callersMistake(e);
    if (status == null) {
      return camunda.getResponse(e);
    }
    LOG.debug("Engine REST call answered {}: {}", status.getStatusCode(), e.getMessage());
    ExceptionDto body = camunda.fromException(e);
    if (place != null) {
      body.setType("InvalidRequestException");
      body.setMessage(place.said());
    }
    return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  /**
   * 404, 409 or 400 when the error is the caller's mistake, null when it is not (the {@link #ENGINE_NULL_POINTERS}
   * apart).
   */
  private static Response.Status callersMistake(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NullValueException || cause instanceof BadUserRequestException) {
        return namesNothing(cause) ? Response.Status.NOT_FOUND : Response.Status.BAD_REQUEST;
      }
      for (Map.Entry<Pattern, Response.Status> message : CALLERS_MESSAGES.entrySet()) {
        if (message.getKey().matcher(String.valueOf(cause.getMessage())).find()) {
          return message.getValue();
        }
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

  /** Which of the {@link #ENGINE_NULL_POINTERS} this is, or null when it is none of them. */
  private static NullPointerPlace engineNullPointer(Throwable e) {
    if (!(e instanceof NullPointerException)) {
      return null;
    }
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < frames.length; i++) {
      for (NullPointerPlace place : ENGINE_NULL_POINTERS) {
        if (place.isAt(frames[i], i == 0)) {
          return place;
        }
      }
    }
    return null;
  }

  private record NullPointerPlace(String className, String method, boolean thrownThere, Response.Status status,
                                  String said) {
    boolean isAt(StackTraceElement frame, boolean top) {
      return (top || !thrownThere) && frame.getClassName().equals(className) && frame.getMethodName().equals(method);
    }
  }

  private static boolean namesNothing(Throwable e) {
    return NOT_FOUND.matcher(String.valueOf(e.getMessage())).find();
  }
}
