package io.lightsout.compute.nova;

import static io.lightsout.compute.nova.NovaDriverTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightsout.compute.ComputeFault;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.compute.RebuildOrder;
import io.lightsout.compute.TransientComputeFault;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.NovaKeystoneServer;
import io.lightsout.testing.NovaKeystoneServer.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keystone tokens of the nova driver: reused, renewed before expiry and after a 401; the password never shown. */
class NovaAuthTest {

  private NovaKeystoneServer cloud;

  @BeforeEach
  void startCloud() {
    cloud = NovaKeystoneServer.start(NovaTesting.PASSWORD);
    cloud.addComputeHost("c1");
    cloud.addComputeHost("c2");
    cloud.addServer(id(1), "c1", "active");
  }

  @AfterEach
  void stopCloud() {
    cloud.close();
  }

  @Test
  void oneTokenServesEveryCallUntilItNearsItsExpiry() {
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    driver.markHostDown("c1", "fenced");
    driver.instancesOn("c1");
    driver.placement(id(1));

    assertThat(cloud.tokenRequests()).hasSize(1);
    assertThat(cloud.novaCalls()).extracting(call -> call.header("X-Auth-Token"))
        .hasSize(5).containsOnly(cloud.issuedTokens().get(0));
  }

  @Test
  void aTokenThatExpiresWithinTheMarginIsRenewedBeforeTheCall() {
    cloud.tokenLifetime(Duration.ofMinutes(4));
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    driver.instancesOn("c1");
    driver.instancesOn("c1");

    assertThat(cloud.calls()).extracting(Call::method)
        .containsExactly("POST", "GET", "POST", "GET");
    assertThat(cloud.novaCalls()).extracting(call -> call.header("X-Auth-Token"))
        .containsExactlyElementsOf(cloud.issuedTokens());
  }

  @Test
  void a401OfNovaRenewsTheTokenOnceAndSendsTheCallAgain() {
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));
    driver.instancesOn("c1");
    cloud.revokeTokens();

    assertThat(driver.instancesOn("c1")).hasSize(1);

    String list = "GET /compute/v2.1/servers/detail?host=c1&all_tenants=1";
    assertThat(cloud.calls()).extracting(Call::toString)
        .containsExactly("POST /identity/v3/auth/tokens", list, list, "POST /identity/v3/auth/tokens", list);
    List<String> tokens = cloud.issuedTokens();
    assertThat(cloud.novaCalls()).extracting(call -> call.header("X-Auth-Token"))
        .containsExactly(tokens.get(0), tokens.get(0), tokens.get(1));
  }

  @Test
  void aFreshTokenRefusedAgainIsFatalAfterOneRenewal() {
    cloud.tokenLifetime(Duration.ZERO);
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    assertThatThrownBy(() -> driver.instancesOn("c1"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " refused a fresh token of user 'lightsout' while listing the"
            + " servers on host c1: 401 \"The request you have made requires authentication.\"");
    assertThat(cloud.tokenRequests()).hasSize(2);
    assertThat(cloud.novaCalls()).hasSize(2);
  }

  @Test
  void wrongCredentialsAreFatalAndNameTheUserNotThePassword() {
    NovaProperties properties = NovaTesting.properties(cloud);
    properties.setUsername("nobody");

    assertThatThrownBy(() -> NovaTesting.driver(properties).instancesOn("c1"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Keystone at " + cloud.authUrl() + " rejected the credentials while issuing a token for user"
            + " 'nobody' (domain 'Default') in project 'admin' (domain 'Default'): 401 \"The request you have made"
            + " requires authentication.\"");
    assertThat(cloud.novaCalls()).isEmpty();
  }

  @Test
  void aKeystoneThatIsDownIsTransient() {
    NovaProperties properties = NovaTesting.properties(cloud);
    cloud.close();

    assertThatThrownBy(() -> NovaTesting.driver(properties).instancesOn("c1"))
        .isInstanceOf(TransientComputeFault.class)
        .hasMessageStartingWith("Keystone at " + cloud.authUrl() + " could not be reached while issuing a token for"
            + " user 'lightsout'");
  }

  @Test
  void thePasswordAndTokensAppearInNoFaultAndNoLogLine() {
    cloud.evacuationDelay(null);
    List<String> messages = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));
      driver.markHostDown("c1", "fenced");
      cloud.revokeTokens();
      driver.rebuild(new RebuildOrder("E1", id(1), "c1", null, "E1/" + id(1), Instant.now()));
      cloud.addServer(id(2), "c1", "active");
      messages.add(fault(() -> driver.rebuild(new RebuildOrder("E1", id(2), "c1", "c9", "E1/" + id(2),
          Instant.now()))));
      cloud.failNextNovaCalls(503);
      messages.add(fault(() -> driver.placement(id(1))));

      cloud.echoRequestOnKeystoneError(true);
      NovaProperties wrongUser = NovaTesting.properties(cloud);
      wrongUser.setUsername("nobody");
      String leaked = fault(() -> NovaTesting.driver(wrongUser).instancesOn("c1"));
      assertThat(leaked).contains("\"password\":\"******\"");
      messages.add(leaked);

      messages.addAll(logs.lines());
    }

    assertThat(messages).hasSizeGreaterThan(4);
    for (String secret : secrets()) {
      assertThat(messages).noneMatch(text -> text.contains(secret));
    }
  }

  private List<String> secrets() {
    List<String> secrets = new ArrayList<>(cloud.issuedTokens());
    secrets.add(NovaTesting.PASSWORD);
    return secrets;
  }

  private static String fault(Runnable operation) {
    try {
      operation.run();
    } catch (ComputeFault fault) {
      return fault.getMessage();
    }
    throw new AssertionError("expected a ComputeFault");
  }
}
