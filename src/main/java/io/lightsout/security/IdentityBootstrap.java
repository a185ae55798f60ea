package io.lightsout.security;

import io.lightsout.startup.StartRefusal;
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
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;
import org.camunda.bpm.engine.impl.util.EncryptionUtil;
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

  /** The webapps operators and viewers may log in to; Admin (users, groups, rights) is for administrators. */
  private static final List<String> WEBAPPS = List.of("cockpit", "tasklist", "welcome");

  /**
   * What each group may do, resource by resource, on every resource of the type ("*"). Viewers read
   * definitions, instances and their history, but no task: a task is the work of whoever it is assigned to.
   */
  private static final Map<String, Map<Resource, List<Permission>>> GRANTS = Map.of(
      Caller.OPERATORS, Map.of(
          Resources.PROCESS_DEFINITION, List.of(Permissions.ALL),
          Resources.PROCESS_INSTANCE, List.of(Permissions.ALL),
          Resources.TASK, List.of(Permissions.ALL),
          Resources.DEPLOYMENT, List.of(Permissions.READ),
          Resources.FILTER, List.of(Permissions.READ),
          Resources.DECISION_DEFINITION, List.of(Permissions.READ)),
      Caller.VIEWERS, Map.of(
          Resources.PROCESS_DEFINITION, List.of(Permissions.READ, Permissions.READ_INSTANCE,
              Permissions.READ_HISTORY),
          Resources.PROCESS_INSTANCE, List.of(Permissions.READ),
          Resources.DEPLOYMENT, List.of(Permissions.READ),
          Resources.FILTER, List.of(Permissions.READ),
          Resources.DECISION_DEFINITION, List.of(Permissions.READ)));

  /** Grants of earlier versions, taken back at start: viewers read every task, both groups used the Admin webapp. */
  private static final Map<String, List<Resource>> WITHDRAWN = Map.of(
      Caller.OPERATORS, List.of(Resources.APPLICATION),
      Caller.VIEWERS, List.of(Resources.APPLICATION, Resources.TASK));

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
    AuthorizationService authorizations = engine.getAuthorizationService();
    WITHDRAWN.forEach((group, resources) -> resources.forEach(resource -> withdraw(authorizations, group, resource)));
    GRANTS.forEach((group, grants) -> grants.forEach(
        (resource, permissions) -> grant(authorizations, group, resource, Authorization.ANY, permissions)));
    for (String group : List.of(Caller.OPERATORS, Caller.VIEWERS)) {
      WEBAPPS.forEach(app -> grant(authorizations, group, Resources.APPLICATION, app, List.of(Permissions.ACCESS)));
    }
    // administrators may do everything, as Camunda's own admin setup grants them (users, groups, ...)
    for (Resource resource : Resources.values()) {
      grant(authorizations, Groups.CAMUNDA_ADMIN, resource, Authorization.ANY, List.of(Permissions.ALL));
    }
    if (admin.resetPassword()) {
      resetAdmin(identity);
    } else if (identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
      createFirstAdmin(identity);
    } else if (admin.hasPassword()) {
      warnIfNotTheStoredPassword(engine);
    }
  }

  /**
   * LIGHTSOUT_ADMIN_PASSWORD only chooses the first administrator's password: on a later start a different
   * one is ignored, so say so once. Compared with the stored hash directly: {@code checkPassword} would count
   * a failed log-in against the administrator.
   */
  private void warnIfNotTheStoredPassword(ProcessEngine engine) {
    User user = engine.getIdentityService().createUserQuery().userId(admin.user()).singleResult();
    if (user == null) {
      LOG.warn("LIGHTSOUT_ADMIN_PASSWORD is set but there is no user '{}': it was not used (it only sets the first "
          + "administrator's password); to create '{}' with it, start once with LIGHTSOUT_ADMIN_RESET_PASSWORD=true",
          admin.user(), admin.user());
    } else if (user instanceof UserEntity stored && !((ProcessEngineConfigurationImpl) engine
        .getProcessEngineConfiguration()).getPasswordManager().check(EncryptionUtil.saltPassword(admin.password(), stored.getSalt()), stored.getPassword())) {
      LOG.warn("LIGHTSOUT_ADMIN_PASSWORD differs from the stored password of administrator '{}' and was not used "
          + "(it only sets the first administrator's password); to make it the password, start once with "
          + "LIGHTSOUT_ADMIN_RESET_PASSWORD=true, or unset LIGHTSOUT_ADMIN_PASSWORD", admin.user());
    }
  }

  /**
   * The way back in from the command line: the configured administrator gets the configured password,
   * is unlocked and is made an administrator again (created if missing).
   */
  private void resetAdmin(IdentityService identity) {
    if (!admin.hasPassword()) {
      throw new StartRefusal("LIGHTSOUT_ADMIN_RESET_PASSWORD is set but LIGHTSOUT_ADMIN_PASSWORD is empty.",
          "Set LIGHTSOUT_ADMIN_PASSWORD to the new password of '" + admin.user() + "' for this start.");
    }
    User user = identity.createUserQuery().userId(admin.user()).singleResult();
    if (user == null) {
      user = identity.newUser(admin.user());
      user.setFirstName("Lights-Out");
      user.setLastName("Administrator");
    }
    user.setPassword(admin.password());
    identity.saveUser(user);
    identity.unlockUser(admin.user());
    for (String group : List.of(Groups.CAMUNDA_ADMIN, Caller.OPERATORS)) {
      if (identity.createUserQuery().userId(admin.user()).memberOfGroup(group).count() == 0) {
        identity.createMembership(admin.user(), group);
      }
    }
    LOG.warn("Reset the password of administrator '{}' from LIGHTSOUT_ADMIN_PASSWORD and unlocked it "
        + "(LIGHTSOUT_ADMIN_RESET_PASSWORD=true); remove that setting now, or every start resets it again", admin.user());
  }

  private void createFirstAdmin(IdentityService identity) {
    boolean generated = !admin.hasPassword();
    if (generated && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new StartRefusal("No administrator exists yet and LIGHTSOUT_ADMIN_PASSWORD is not set "
          + "(a password is generated only on the embedded H2 default).",
          "Set LIGHTSOUT_ADMIN_PASSWORD to the first administrator's password for the first start.");
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

  /** The group's grant on the resource is exactly these permissions (created, or corrected when it differs). */
  private static void grant(AuthorizationService authorizations, String group, Resource resource, String resourceId,
      List<Permission> permissions) {
    Authorization grant = authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
        .groupIdIn(group).resourceType(resource).resourceId(resourceId).singleResult();
    if (grant == null) {
      grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
      grant.setGroupId(group);
      grant.setResource(resource);
      grant.setResourceId(resourceId);
    } else if (sameAsGranted(grant, resource, permissions)) {
      return;
    }
    grant.setPermissions(permissions.toArray(Permission[]::new));
    authorizations.saveAuthorization(grant);
  }

  /** Whether the stored grant allows exactly what is declared, permission by permission of the resource. */
  private static boolean sameAsGranted(Authorization grant, Resource resource, List<Permission> permissions) {
    for (Permission permission : Permissions.values()) {
      if (permission.getTypes() != null && List.of(permission.getTypes()).contains(resource)
          && permission != Permissions.NONE && permission != Permissions.ALL
          && grant.isPermissionGranted(permission) != (permissions.contains(Permissions.ALL) || permissions.contains(permission))) {
        return false;
      }
    }
    return true;
  }

  private static void withdraw(AuthorizationService authorizations, String group, Resource resource) {
    authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT).groupIdIn(group)
        .resourceType(resource).resourceId(Authorization.ANY).list()
        .forEach(grant -> authorizations.deleteAuthorization(grant.getId()));
  }
}
