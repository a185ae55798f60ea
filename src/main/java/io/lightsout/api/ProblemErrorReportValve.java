package io.lightsout.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error page for what it refuses before the application sees it (an encoded {@code /} or
 * {@code \} or a NUL in the path): problem+json under {@code /api/}, Tomcat's own short page elsewhere.
 */
class ProblemErrorReportValve extends ErrorReportValve {

  ProblemErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  /** Takes the place of every other error report valve of the host the context belongs to. */
  static void install(org.apache.catalina.Context context) {
    org.apache.catalina.Pipeline host = context.getParent().getPipeline();
    for (Valve valve : host.getValves()) {
      if (valve instanceof ErrorReportValve) {
        host.removeValve(valve);
      }
    }
    host.addValve(new ProblemErrorReportValve());
    // else the host adds its default error report valve at start, which would answer first
    ((org.apache.catalina.core.StandardHost) context.getParent()).setErrorReportValveClass(
        ProblemErrorReportValve.class.getName());
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    String uri = request.getCoyoteRequest().requestURI().toString();
    int status = response.getStatus();
    if (status < 400 || uri == null || !uri.startsWith("/api/") || response.isCommitted()) {
      super.report(request, response, throwable);
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String detail = status == 400
        ? "The request URI cannot be read: encoded '/' or '\\\\', NUL characters and malformed escapes are refused in paths."
        : title;
    try {
      response.resetBuffer();
      response.setContentType("application/problem+json");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
            + ",\"detail\":\"" + detail + "\"}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the answer already started: nothing more to say
    }
  }
}
