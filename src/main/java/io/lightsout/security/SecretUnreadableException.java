package io.lightsout.security;

/** A sealed secret that cannot be opened: wrong key, or the stored data was altered. Carries no secret. */
public class SecretUnreadableException extends RuntimeException {

  public SecretUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
