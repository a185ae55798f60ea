package io.lightsout.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Right after the engine is built (before any request is served): groups {@code operators} and
 * {@code viewers} with their permissions, and the first admin. There is no built-in admin password.
 */
@Component
class IdentityBootstrap extends AbstractCamundaConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityBootstrap.class);
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final int GENERATED_LENGTH = 24;

  /** What each group may do, resource by resource ("*" = every resource of that type). */
  private static final Map<String, Map<Resource, List<Permission>>> GRANTS = Map.of(
      Caller.OPERATORS, Map.of(
          Resources.APPLICATION, List.of(Permissions.ACCESS),
          Resources.PROCESS_DEFINITION, List.of(Permissions.ALL),
          Resources.PROCESS_INSTANCE, List.of(Permissions.ALL),
          Resources.TASK, List.of(Permissions.ALL),
          Resources.DEPLOYMENT, List.of(Permissions.READ),
          Resources.FILTER, List.of(Permissions.READ),
          Resources.DECISION_DEFINITION, List.of(Permissions.READ)),
      Caller.VIEWERS, Map.of(
          Resources.APPLICATION, List.of(Permissions.ACCESS),
          Resources.PROCESS_DEFINITION, List.of(Permissions.READ, Permissions.READ_INSTANCE,
              Permissions.READ_HISTORY, Permissions.READ_TASK),
          Resources.PROCESS_INSTANCE, List.of(Permissions.READ),
          Resources.TASK, List.of(Permissions.READ),
          Resources.DEPLOYMENT, List.of(Permissions.READ),
          Resources.FILTER, List.of(Permissions.READ),
          Resources.DECISION_DEFINITION, List.of(Permissions.READ)));

  private final AdminProperties admin;
  private final String jdbcUrl;
  private final PrintStream console;

  @Autowired
  IdentityBootstrap(AdminProperties admin, @Value("${spring.datasource.url}") String jdbcUrl) {
    this(admin, jdbcUrl, System.out);
  }

  IdentityBootstrap(AdminProperties admin, String jdbcUrl, PrintStream console) {
    this.admin = admin;
    this.jdbcUrl = jdbcUrl;
    this.console = console;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    ensureGroup(identity, Groups.CAMUNDA_ADMIN, "Lights-Out administrators", Groups.GROUP_TYPE_SYSTEM);
    ensureGroup(identity, Caller.OPERATORS, "Operators (may act)", Groups.GROUP_TYPE_WORKFLOW);
    ensureGroup(identity, Caller.VIEWERS, "Viewers (may read)", Groups.GROUP_TYPE_WORKFLOW);
    GRANTS.forEach((group, grants) -> grants.forEach(
        (resource, permissions) -> ensureGrant(engine.getAuthorizationService(), group, resource, permissions)));
    // administrators may do everything, as Camunda's own admin setup grants them (users, groups, ...)
    for (Resource resource : Resources.values()) {
      ensureGrant(engine.getAuthorizationService(), Groups.CAMUNDA_ADMIN, resource, List.of(Permissions.ALL));
    }
    if (identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
      createFirstAdmin(identity);
    }
  }

  private void createFirstAdmin(IdentityService identity) {
    boolean generated = !admin.hasPassword();
    if (generated && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalStateException("No administrator exists yet and LIGHTSOUT_ADMIN_PASSWORD is not set. "
          + "A password is generated only on the embedded H2 default; set LIGHTSOUT_ADMIN_PASSWORD for the first start.");
    }
    String password = generated ? generatePassword() : admin.password();
    User user = identity.newUser(admin.user());
    user.setFirstName("Lights-Out");
    user.setLastName("Administrator");
    user.setPassword(password);
    identity.saveUser(user);
    identity.createMembership(admin.user(), Groups.CAMUNDA_ADMIN);
    identity.createMembership(admin.user(), Caller.OPERATORS);
    if (generated) {
      announce(password);
    }
    LOG.info("Created the first administrator '{}' ({} password, stored as a salted hash)",
        admin.user(), generated ? "generated" : "configured");
  }

  /** Printed once to the console, never to the log; only the hash is stored. */
  private void announce(String password) {
    console.println();
    console.println("================================================================================");
    console.println(" Lights-Out first start: administrator '" + admin.user() + "' was created.");
    console.println(" Generated password (shown only now, stored only as a hash):");
    console.println();
    console.println("     " + password);
    console.println();
    console.println(" Set LIGHTSOUT_ADMIN_PASSWORD before the first start to choose it yourself.");
    console.println("================================================================================");
    console.println();
    console.flush();
  }

  private static String generatePassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder(GENERATED_LENGTH);
    for (int i = 0; i < GENERATED_LENGTH; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }

  private static void ensureGroup(IdentityService identity, String id, String name, String type) {
    if (identity.createGroupQuery().groupId(id).count() == 0) {
      Group group = identity.newGroup(id);
      group.setName(name);
      group.setType(type);
      identity.saveGroup(group);
    }
  }

  private static void ensureGrant(AuthorizationService authorizations, String group, Resource resource,
      List<Permission> permissions) {
    boolean present = authorizations.createAuthorizationQuery()
        .groupIdIn(group).resourceType(resource).resourceId(Authorization.ANY).count() > 0;
    if (present) {
      return;
    }
    Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    grant.setGroupId(group);
    grant.setResource(resource);
    grant.setResourceId(Authorization.ANY);
    permissions.forEach(grant::addPermission);
    authorizations.saveAuthorization(grant);
  }
}
