package io.lightsout.api;

import jakarta.validation.ConstraintViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import java.util.stream.Collectors;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of {@code /api/v1} is {@code application/problem+json} with a reason an operator can act on.
 * Spring's own client errors (bad JSON, wrong method, unknown path) are mapped by the base class.
 */
@RestControllerAdvice
class ApiProblemHandler extends ResponseEntityExceptionHandler {

  /**
   * A wrong method is the caller's mistake, answered {@code 405} with {@code Allow}: nothing for the log. (The base
   * class writes a WARN line per such request, so any client could fill the log with them.)
   */
  @Override
  protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return handleExceptionInternal(e, null, headers, status, request);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> apiException(ApiException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    e.properties().forEach(problem::setProperty);
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status());
    if (e instanceof RetryLaterException later) {
      answer.header(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
    }
    return answer.body(problem);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraintViolation(ConstraintViolationException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getConstraintViolations().stream()
        .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage()).sorted()
        .collect(Collectors.joining("; ")));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
        e.getAllErrors().stream().map(ApiProblemHandler::describe).sorted().collect(Collectors.joining("; "))));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
        e.getBindingResult().getFieldErrors().stream().map(f -> f.getField() + " " + f.getDefaultMessage())
            .sorted().collect(Collectors.joining("; "))));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    Throwable cause = e.getMostSpecificCause();
    String detail = cause instanceof com.fasterxml.jackson.core.JsonProcessingException json
        ? "the body is not valid JSON for this call: " + json.getOriginalMessage()
        : "the body is missing or unreadable";
    return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
  }

  private static String describe(MessageSourceResolvable error) {
    String[] codes = error.getCodes();
    String field = codes == null || codes.length == 0 ? "" : lastNode(codes[0]) + " ";
    return field + error.getDefaultMessage();
  }

  private static String lastNode(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badInput(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
