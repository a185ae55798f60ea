package io.lightsout.compute.nova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.compute.ComputeInstance;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.testing.NovaKeystoneServer;
import io.lightsout.testing.NovaKeystoneServer.Call;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The nova driver's host and listing calls against the project's Nova/Keystone server, as the API references prescribe. */
class NovaDriverTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NovaKeystoneServer cloud;

  @BeforeEach
  void startCloud() {
    cloud = NovaKeystoneServer.start(NovaTesting.PASSWORD);
    for (String host : List.of("c1", "c2", "c3")) {
      cloud.addComputeHost(host);
    }
  }

  @AfterEach
  void stopCloud() {
    cloud.close();
  }

  @Test
  void markHostDownAuthenticatesThenForcesTheServiceDownAndDisablesIt() throws Exception {
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    driver.markHostDown("c1", "fenced by evacuation E1");

    String serviceId = cloud.service("c1").id;
    assertThat(cloud.calls()).extracting(Call::toString).containsExactly(
        "POST /identity/v3/auth/tokens",
        "GET /compute/v2.1/os-services?host=c1&binary=nova-compute",
        "PUT /compute/v2.1/os-services/" + serviceId);
    Call token = cloud.calls().get(0);
    assertThat(token.header("Content-Type")).isEqualTo("application/json");
    assertThat(token.json()).isEqualTo(JSON.readTree("""
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "lightsout",
          "domain": {"name": "Default"}, "password": "%s"}}},
          "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
        """.formatted(NovaTesting.PASSWORD)));
    for (Call call : cloud.novaCalls()) {
      assertThat(call.header("X-Auth-Token")).isEqualTo(cloud.issuedTokens().get(0));
      assertThat(call.header("OpenStack-API-Version")).isEqualTo("compute 2.53");
    }
    Call update = cloud.calls().get(2);
    assertThat(update.header("Content-Type")).isEqualTo("application/json");
    assertThat(update.json()).isEqualTo(JSON.readTree(
        "{\"forced_down\": true, \"status\": \"disabled\", \"disabled_reason\": \"fenced by evacuation E1\"}"));
    assertThat(cloud.service("c1").forcedDown).isTrue();
    assertThat(cloud.service("c1").status).isEqualTo("disabled");
    assertThat(cloud.service("c1").disabledReason).isEqualTo("fenced by evacuation E1");
    assertThat(cloud.service("c2").forcedDown).isFalse();
  }

  @Test
  void markHostDownSendsOnlyWhatIsNotSoAlready() throws Exception {
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));
    cloud.service("c2").status = "disabled";
    cloud.service("c2").disabledReason = "maintenance by operator";

    driver.markHostDown("c2", "fenced by evacuation E2");
    driver.markHostDown("c2", "fenced by evacuation E2");

    assertThat(cloud.novaCalls()).extracting(Call::toString).containsExactly(
        "GET /compute/v2.1/os-services?host=c2&binary=nova-compute",
        "PUT /compute/v2.1/os-services/" + cloud.service("c2").id,
        "GET /compute/v2.1/os-services?host=c2&binary=nova-compute");
    assertThat(cloud.novaCalls().get(1).json()).isEqualTo(JSON.readTree("{\"forced_down\": true}"));
    assertThat(cloud.service("c2").forcedDown).isTrue();
    assertThat(cloud.service("c2").disabledReason).isEqualTo("maintenance by operator");
  }

  @Test
  void markHostDownOfAHostNovaDoesNotKnowIsFatal() {
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    assertThatThrownBy(() -> driver.markHostDown("c9", "fenced"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " knows no nova-compute service on host c9");
  }

  @Test
  void instancesOnFollowsEveryPageOfTheHostsServersInAllProjects() {
    cloud.maxLimit(3);
    List<String> onC1 = IntStream.rangeClosed(1, 7).mapToObj(n -> id(n)).toList();
    onC1.forEach(id -> cloud.addServer(id, "c1", "active"));
    cloud.addServer(id(8), "c2", "active");
    cloud.server(id(2)).vmState = "stopped";
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    List<ComputeInstance> instances = driver.instancesOn("c1");

    assertThat(instances).extracting(ComputeInstance::id).containsExactlyElementsOf(onC1);
    assertThat(instances).allSatisfy(instance -> {
      assertThat(instance.hostId()).isEqualTo("c1");
      assertThat(instance.size()).isEqualTo(1);
    });
    assertThat(instances.get(0).state()).isEqualTo("ACTIVE");
    assertThat(instances.get(1).state()).isEqualTo("SHUTOFF");
    String first = "GET /compute/v2.1/servers/detail?host=c1&all_tenants=1";
    assertThat(cloud.novaCalls()).extracting(Call::toString)
        .containsExactly(first, first + "&marker=" + id(3), first + "&marker=" + id(6));
  }

  @Test
  void instancesOnAFullLastPageReadsTheEmptyPageNovaLinksTo() {
    cloud.maxLimit(2);
    IntStream.rangeClosed(1, 4).forEach(n -> cloud.addServer(id(n), "c1", "active"));
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    assertThat(driver.instancesOn("c1")).hasSize(4);
    assertThat(cloud.novaCalls()).hasSize(3);
    assertThat(driver.instancesOn("c3")).isEmpty();
  }

  @Test
  void theConfiguredMicroversionIsSentAndMustBeEchoed() {
    NovaProperties properties = NovaTesting.properties(cloud);
    properties.setMicroversion("2.60");
    NovaTesting.driver(properties).markHostDown("c1", "fenced");
    assertThat(cloud.novaCalls()).extracting(call -> call.header("OpenStack-API-Version")).containsOnly("compute 2.60");

    cloud.echoVersion(false);
    assertThatThrownBy(() -> NovaTesting.driver(properties).markHostDown("c1", "fenced"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessageContaining("did not confirm microversion 2.60")
        .hasMessageContaining("OpenStack-API-Version: missing");
  }

  @Test
  void aNovaOlderThanTheMicroversionAnswers406AndThatIsFatal() {
    cloud.maxVersion("2.40");
    NovaDriver driver = NovaTesting.driver(NovaTesting.properties(cloud));

    assertThatThrownBy(() -> driver.instancesOn("c1"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessageStartingWith("Nova at " + cloud.computeUrl() + " does not support microversion 2.53")
        .hasMessageContaining(
            "406 \"Version compute 2.53 is not supported by the API. Minimum is 2.1 and maximum is 2.40.\"");
  }

  @Test
  void microversionsBefore253AreRefusedAtStart() {
    NovaProperties properties = NovaTesting.properties(cloud);
    properties.setMicroversion("2.52");
    properties.setProject(" ");

    assertThatThrownBy(() -> NovaTesting.driver(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Settings of the nova compute driver (lightsout.compute.nova.*) are not usable: project is not set;"
            + " microversion must be 2.53 or later (as 2.N), not '2.52'");
    properties.setProject("admin");
    properties.setMicroversion("2.100");
    NovaTesting.driver(properties);
  }

  @Test
  void theComputeEndpointIsPickedByInterfaceAndRegion() {
    NovaProperties internal = NovaTesting.properties(cloud);
    internal.setInterface("internal");
    NovaTesting.driver(internal).instancesOn("c1");
    NovaProperties regionTwo = NovaTesting.properties(cloud);
    regionTwo.setRegion("RegionTwo");
    NovaTesting.driver(regionTwo).instancesOn("c1");

    assertThat(cloud.novaCalls()).extracting(Call::path)
        .containsExactly("/compute-internal/v2.1/servers/detail", "/region-two/v2.1/servers/detail");

    NovaProperties nowhere = NovaTesting.properties(cloud);
    nowhere.setRegion("RegionThree");
    assertThatThrownBy(() -> NovaTesting.driver(nowhere).instancesOn("c1"))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Keystone at " + cloud.authUrl() + " lists no compute endpoint with interface 'public' in region"
            + " 'RegionThree' in the catalog of project 'admin' (compute endpoints: internal/RegionOne, public/RegionOne,"
            + " public/RegionTwo)");
  }

  static String id(int n) {
    return "%08d-0000-4000-8000-000000000000".formatted(n);
  }
}
