package io.lightsout.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** Where the API authentication filter leaves the caller for controllers. */
public final class CurrentCaller {

  static final String ATTRIBUTE = CurrentCaller.class.getName();

  private CurrentCaller() {}

  static void set(HttpServletRequest request, Caller caller) {
    request.setAttribute(ATTRIBUTE, caller);
  }

  /** The authenticated caller of the current request; the filter guarantees there is one. */
  public static Caller get() {
    RequestAttributes attributes = RequestContextHolder.currentRequestAttributes();
    Caller caller = (Caller) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on this request");
    }
    return caller;
  }
}
