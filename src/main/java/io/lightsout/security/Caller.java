package io.lightsout.security;

import java.util.List;

/** The authenticated user of an API call and the groups that decide what they may do. */
public record Caller(String userId, List<String> groups) {

  public static final String OPERATORS = "operators";
  public static final String VIEWERS = "viewers";
  public static final String ADMINS = "camunda-admin";

  public Caller {
    groups = List.copyOf(groups);
  }

  /** Operators and admins may change things; viewers may only read. */
  public boolean mayAct() {
    return groups.contains(OPERATORS) || groups.contains(ADMINS);
  }

  public boolean mayRead() {
    return mayAct() || groups.contains(VIEWERS);
  }
}
