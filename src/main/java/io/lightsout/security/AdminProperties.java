package io.lightsout.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first administrator. The password comes from {@code LIGHTSOUT_ADMIN_PASSWORD}; on the embedded
 * (H2) default a strong one is generated at first start when it is not set. With {@code resetPassword}
 * ({@code LIGHTSOUT_ADMIN_RESET_PASSWORD=true}) a start sets that user's password to it again: the way back
 * in when the password is lost.
 */
@ConfigurationProperties("lightsout.admin")
public record AdminProperties(String user, String password, boolean resetPassword) {

  public AdminProperties {
    user = user == null || user.isBlank() ? "admin" : user;
  }

  boolean hasPassword() {
    return password != null && !password.isBlank();
  }

  @Override
  public String toString() {
    return "AdminProperties[user=" + user + ", password=******, resetPassword=" + resetPassword + "]";
  }
}
