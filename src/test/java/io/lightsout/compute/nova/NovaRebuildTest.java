package io.lightsout.compute.nova;

import static io.lightsout.compute.nova.NovaDriverTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.compute.InstancePlacement;
import io.lightsout.compute.RebuildOrder;
import io.lightsout.compute.TransientComputeFault;
import io.lightsout.testing.NovaKeystoneServer;
import io.lightsout.testing.NovaKeystoneServer.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebuild (evacuate) and placement against the project's Nova/Keystone server: the calls in order, one evacuate
 * per claim however often the order is repeated, and Nova's refusals as faults that quote it.
 */
class NovaRebuildTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVER = id(1);

  private NovaKeystoneServer cloud;
  private NovaDriver driver;

  @BeforeEach
  void startCloud() {
    cloud = NovaKeystoneServer.start(NovaTesting.PASSWORD).evacuationDelay(null);
    for (String host : List.of("c1", "c2", "c3")) {
      cloud.addComputeHost(host);
    }
    cloud.addServer(SERVER, "c1", "active");
    driver = NovaTesting.driver(NovaTesting.properties(cloud));
  }

  @AfterEach
  void stopCloud() {
    cloud.close();
  }

  private static RebuildOrder order(String toHost, Instant claimedAt) {
    return new RebuildOrder("E1", SERVER, "c1", toHost, "E1/" + SERVER, claimedAt);
  }

  @Test
  void rebuildReadsTheServerAndItsEvacuationsThenEvacuatesAndPlacementFollowsItToTheNewHost() throws Exception {
    driver.markHostDown("c1", "fenced by evacuation E1");
    cloud.clearCalls();

    driver.rebuild(order(null, Instant.now()));

    String compute = "/compute/v2.1";
    assertThat(cloud.novaCalls()).extracting(Call::toString).containsExactly(
        "GET " + compute + "/servers/" + SERVER,
        "GET " + compute + "/os-migrations?migration_type=evacuation&instance_uuid=" + SERVER,
        "POST " + compute + "/servers/" + SERVER + "/action");
    Call evacuate = cloud.novaCalls().get(2);
    assertThat(evacuate.json()).isEqualTo(JSON.readTree("{\"evacuate\": {}}"));
    assertThat(evacuate.header("Content-Type")).isEqualTo("application/json");
    assertThat(evacuate.header("OpenStack-API-Version")).isEqualTo("compute 2.53");
    assertThat(evacuate.header("X-Auth-Token")).isEqualTo(cloud.issuedTokens().get(0));

    InstancePlacement rebuilding = driver.placement(SERVER);
    assertThat(rebuilding.status()).isEqualTo(InstancePlacement.Status.REBUILDING);
    assertThat(rebuilding.hostId()).isEqualTo("c1");
    assertThat(rebuilding.detail()).startsWith("Nova: status REBUILD, task_state rebuilding, host c1; latest evacuation ")
        .contains("accepted (from c1 to not chosen yet");

    cloud.finishEvacuations();
    InstancePlacement settled = driver.placement(SERVER);
    assertThat(settled.status()).isEqualTo(InstancePlacement.Status.SETTLED);
    assertThat(settled.hostId()).isEqualTo("c2");
    assertThat(settled.detail()).startsWith("Nova: status ACTIVE, task_state none, host c2; latest evacuation ")
        .contains("done (from c1 to c2");
  }

  @Test
  void aNamedTargetIsSentAsHost() throws Exception {
    driver.markHostDown("c1", "fenced");

    driver.rebuild(order("c3", Instant.now()));
    cloud.finishEvacuations();

    assertThat(cloud.evacuateCalls()).singleElement()
        .satisfies(call -> assertThat(call.json()).isEqualTo(JSON.readTree("{\"evacuate\": {\"host\": \"c3\"}}")));
    assertThat(driver.placement(SERVER).hostId()).isEqualTo("c3");
  }

  @Test
  void aRepeatedOrderSendsNoSecondEvacuateWhileNovaRebuildsNorAfterItIsDone() {
    driver.markHostDown("c1", "fenced");
    RebuildOrder order = order(null, Instant.now());

    driver.rebuild(order);
    driver.rebuild(order);
    assertThat(cloud.evacuateCalls()).hasSize(1);

    cloud.finishEvacuations();
    driver.rebuild(order);
    assertThat(cloud.evacuateCalls()).hasSize(1);
    assertThat(cloud.migrations()).singleElement().satisfies(migration -> assertThat(migration.status).isEqualTo("done"));
  }

  @Test
  void anEvacuationOlderThanTheClaimIsNotThisClaimsAndDoesNotStopIt() {
    driver.markHostDown("c1", "fenced");
    Instant claimedAt = Instant.now();
    cloud.addMigration(SERVER, "c1", "c2", "done", claimedAt.minus(Duration.ofDays(3)));

    driver.rebuild(order(null, claimedAt));

    assertThat(cloud.evacuateCalls()).hasSize(1);
  }

  @Test
  void anEvacuationNovaStillRunsCountsEvenWhenNovasClockDatesItBeforeTheClaim() {
    driver.markHostDown("c1", "fenced");
    Instant claimedAt = Instant.now();
    cloud.addMigration(SERVER, "c1", null, "accepted", claimedAt.minusSeconds(5));
    cloud.server(SERVER).taskState = "rebuilding";

    driver.rebuild(order(null, claimedAt));
    assertThat(cloud.evacuateCalls()).isEmpty();

    cloud.server(SERVER).taskState = null;
    driver.rebuild(order(null, claimedAt));
    assertThat(cloud.evacuateCalls()).as("a stuck record Nova no longer works on does not count").hasSize(1);
  }

  @Test
  void anEvacuationThatFailedSinceTheClaimIsSentAgain() {
    driver.markHostDown("c1", "fenced");
    cloud.service("c2").status = "disabled";
    cloud.service("c3").status = "disabled";
    RebuildOrder order = order(null, Instant.now());

    driver.rebuild(order);
    cloud.finishEvacuations();
    InstancePlacement failed = driver.placement(SERVER);
    assertThat(failed.status()).isEqualTo(InstancePlacement.Status.ERROR);
    assertThat(failed.detail()).startsWith("Nova: status ERROR, task_state none, host c1; latest evacuation ")
        .contains(" error (from c1 to not chosen yet");

    cloud.service("c3").status = "enabled";
    driver.rebuild(order);
    cloud.finishEvacuations();

    assertThat(cloud.evacuateCalls()).hasSize(2);
    assertThat(driver.placement(SERVER).status()).isEqualTo(InstancePlacement.Status.SETTLED);
    assertThat(driver.placement(SERVER).hostId()).isEqualTo("c3");
  }

  @Test
  void aSourceServiceNotForcedDownIsRefusedWithNovasText() {
    assertThatThrownBy(() -> driver.rebuild(order(null, Instant.now())))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " refused evacuating server " + SERVER + " (evacuation E1 from"
            + " host c1): 400 \"Compute service of c1 is still in use.\"");
  }

  @Test
  void aServerInAStateNovaCannotEvacuateIsRefusedWithNovasText() {
    driver.markHostDown("c1", "fenced");
    cloud.server(SERVER).vmState = "paused";

    assertThatThrownBy(() -> driver.rebuild(order("c2", Instant.now())))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " refused evacuating server " + SERVER + " (evacuation E1 from"
            + " host c1) to host c2: 409 \"Cannot 'evacuate' instance " + SERVER + " while it is in vm_state paused\"");
  }

  @Test
  void anUnknownTargetOrServerIsFatal() {
    driver.markHostDown("c1", "fenced");

    assertThatThrownBy(() -> driver.rebuild(order("c9", Instant.now())))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessageEndingWith(" to host c9: 404 \"Compute host c9 could not be found.\"");
    RebuildOrder unknown = new RebuildOrder("E1", id(99), "c1", null, "E1/" + id(99), Instant.now());
    assertThatThrownBy(() -> driver.rebuild(unknown))
        .isInstanceOf(FatalComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " does not know server " + id(99) + " (evacuation E1 from host"
            + " c1) any more");
    assertThat(cloud.evacuateCalls()).hasSize(1);
  }

  @Test
  void a503IsTransientAndTheRetrySendsOneEvacuate() {
    driver.markHostDown("c1", "fenced");
    cloud.failNextNovaCalls(503);

    assertThatThrownBy(() -> driver.rebuild(order(null, Instant.now())))
        .isInstanceOf(TransientComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " failed while reading server " + SERVER + " (evacuation E1 from"
            + " host c1): 503 \"injected failure 503\"");
    driver.rebuild(order(null, Instant.now()));

    assertThat(cloud.evacuateCalls()).hasSize(1);
  }

  @Test
  void noAnswerInTimeIsTransient() {
    NovaProperties impatient = NovaTesting.properties(cloud);
    impatient.setRequestTimeout(Duration.ofMillis(200));
    NovaDriver hurried = NovaTesting.driver(impatient);
    cloud.stallNova(Duration.ofSeconds(1));

    assertThatThrownBy(() -> hurried.placement(SERVER))
        .isInstanceOf(TransientComputeFault.class)
        .hasMessage("Nova at " + cloud.computeUrl() + " did not answer within 200 ms while reading server " + SERVER);
  }

  @Test
  void aNovaThatIsGoneIsTransient() {
    driver.placement(SERVER);
    cloud.close();

    assertThatThrownBy(() -> driver.placement(SERVER))
        .isInstanceOf(TransientComputeFault.class)
        .hasMessageStartingWith("Nova at " + cloud.computeUrl() + " could not be reached while reading server " + SERVER);
  }

  @Test
  void placementOfAServerNovaDoesNotKnowIsGone() {
    InstancePlacement gone = driver.placement(id(42));

    assertThat(gone.status()).isEqualTo(InstancePlacement.Status.GONE);
    assertThat(gone.hostId()).isNull();
    assertThat(gone.detail()).isEqualTo("Nova does not know server " + id(42));
  }
}
