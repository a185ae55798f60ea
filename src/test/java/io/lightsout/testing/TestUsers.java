package io.lightsout.testing;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Test users, one per role, created on first use. */
public final class TestUsers {

  private TestUsers() {}

  public static String passwordOf(String user) {
    return user + "-pw-T3st";
  }

  public static synchronized void ensure(IdentityService identity, String userId, String group) {
    if (identity.createUserQuery().userId(userId).count() == 0) {
      User user = identity.newUser(userId);
      user.setPassword(passwordOf(userId));
      identity.saveUser(user);
    }
    if (identity.createUserQuery().userId(userId).memberOfGroup(group).count() == 0) {
      identity.createMembership(userId, group);
    }
  }
}
