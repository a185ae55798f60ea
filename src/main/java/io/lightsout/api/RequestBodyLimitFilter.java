package io.lightsout.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bodies of {@code /api/**} larger than the limit get {@code 413} before anything parses them,
 * whether they announce their length or arrive chunked.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

  /** The batch endpoint takes up to 1,000 requests in one body: it has a limit of its own. */
  static final String BATCH_PATH = "/api/v1/power-requests";

  private final int defaultMaxBytes;
  private final int batchMaxBytes;
  private final ProblemWriter problems;

  RequestBodyLimitFilter(int maxBytes, int batchMaxBytes, ProblemWriter problems) {
    this.defaultMaxBytes = maxBytes;
    this.batchMaxBytes = batchMaxBytes;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    int maxBytes = BATCH_PATH.equals(request.getRequestURI()) ? batchMaxBytes : defaultMaxBytes;
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      tooLarge(request, response, maxBytes);
      return;
    }
    if (declared == 0 || "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
    if (body.length > maxBytes) {
      tooLarge(request, response, maxBytes);
      return;
    }
    chain.doFilter(new BufferedRequest(request, body), response);
  }

  private void tooLarge(HttpServletRequest request, HttpServletResponse response, int maxBytes) throws IOException {
    problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE,
        "The request body exceeds " + maxBytes + " bytes; nothing was accepted.", request.getRequestURI());
  }
}
