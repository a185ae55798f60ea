package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lightsout.bmc.BmcDriver;
import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerProgress;
import io.lightsout.bmc.PowerResult;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.TransientBmcFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * A BMC step writes the node's row (its observed power state, a row lock held to the job's commit) only after its
 * transactions of their own (BMC confirmation, progress): each of those takes a second pool connection, and a job
 * waiting for one while holding the node's lock deadlocks with API calls that hold the pool's other connections and
 * wait for that lock (seen under 50 clients: every connection taken, 503s, and jobs stuck until their lock expired).
 */
class PowerExecutorLockOrderTest {

  private static final String REQUEST = "r-1";
  private static final String NODE = "n-1";
  private static final BmcSettings SETTINGS = new BmcSettings("fake", "bmc.example", null, "admin", null, Map.of());

  private final PowerQueue queue = mock(PowerQueue.class);
  private final PowerRequestRepository requests = mock(PowerRequestRepository.class);
  private final NodeRepository nodes = mock(NodeRepository.class);
  private final BmcDriver driver = mock(BmcDriver.class);
  private final BmcProperties bmcProperties = new BmcProperties();

  private PowerExecutor executorFor(PowerAction action, int attempt) {
    PowerRequest request = new PowerRequest(REQUEST, NODE, 1, action, RequestStatus.RUNNING, "test", null, "admin",
        Instant.EPOCH, Instant.EPOCH, null, attempt - 1, null, IfBusy.QUEUE, null, null, "pi-1", "here", null);
    when(requests.find(REQUEST)).thenReturn(Optional.of(request));
    when(requests.bmcTrail(REQUEST)).thenReturn(new PowerRequestRepository.BmcTrail(Optional.empty(), PowerProgress.NONE));
    when(queue.beginExecution(any())).thenReturn(PowerQueue.ExecutionDecision.PROCEED);
    when(queue.countAttempt(eq(REQUEST), anyInt())).thenReturn(attempt);
    when(nodes.bmcSettings(NODE)).thenReturn(Optional.of(SETTINGS));
    when(driver.name()).thenReturn("fake");
    PowerProperties properties = new PowerProperties(null, null, null, 2, Duration.ofMinutes(2), Duration.ofSeconds(1));
    return new PowerExecutor(queue, requests, nodes, new BmcDriverRegistry(List.of(driver)), properties,
        bmcProperties, Clock.fixed(Instant.parse("2026-12-05T18:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void anActionIsConfirmedBeforeTheNodeRowIsWritten() {
    PowerExecutor executor = executorFor(PowerAction.OFF, 1);
    when(driver.execute(PowerAction.OFF, SETTINGS)).thenReturn(new PowerResult(PowerState.OFF, true, 1, "sent"));

    PowerExecutor.Outcome outcome = executor.execute(REQUEST);

    assertConfirmedThenRecorded(outcome, PowerState.OFF);
  }

  @Test
  void aReadBackIsConfirmedBeforeTheNodeRowIsWritten() {
    PowerExecutor executor = executorFor(PowerAction.ON, 1);
    when(driver.powerState(SETTINGS)).thenReturn(PowerState.ON);

    PowerExecutor.Outcome outcome = executor.verify(REQUEST);

    assertConfirmedThenRecorded(outcome, PowerState.ON);
  }

  @Test
  void aCutCycleRecordsItsProgressBeforeTheNodeRowIsWritten() {
    bmcProperties.setMinCommandInterval(Duration.ofSeconds(1));
    PowerExecutor executor = executorFor(PowerAction.CYCLE, 2);
    // off already (nothing sent), then 'on' is cut by a transient fault on the last attempt
    when(driver.execute(PowerAction.OFF, SETTINGS)).thenReturn(new PowerResult(PowerState.OFF, true, 0, "was off"));
    when(driver.execute(PowerAction.ON, SETTINGS)).thenThrow(
        new TransientBmcFault("bmc.example", "no answer").after(new PowerProgress(1, true, false)));

    PowerExecutor.Outcome outcome = executor.execute(REQUEST);

    assertThat(outcome.kind()).isEqualTo(PowerExecutor.Outcome.Kind.FAILED);
    InOrder order = inOrder(queue, nodes);
    order.verify(queue).recordProgress(eq(REQUEST), any());
    order.verify(nodes).recordPowerState(eq(NODE), eq(PowerState.OFF), any());
  }

  @Test
  void anOwnerInDoubtFoundUnderTheNodesLockIsNotNotedThere() {
    PowerExecutor executor = executorFor(PowerAction.OFF, 1);
    when(queue.beginExecution(any())).thenReturn(PowerQueue.ExecutionDecision.OWNER_IN_DOUBT_LOOK_AGAIN);

    assertThatThrownBy(() -> executor.execute(REQUEST)).isInstanceOf(OwnerInDoubt.class);

    verify(queue, never()).doubtOwner(anyString());
    verify(queue, never()).countAttempt(anyString(), anyInt());
    verify(driver, never()).execute(any(), any());
  }

  @Test
  void anOwnerInDoubtFoundWithoutTheLockIsNotedForItsHeartbeat() {
    PowerExecutor executor = executorFor(PowerAction.OFF, 1);
    when(queue.beginExecution(any())).thenReturn(PowerQueue.ExecutionDecision.OWNER_IN_DOUBT);

    assertThatThrownBy(() -> executor.execute(REQUEST)).isInstanceOf(OwnerInDoubt.class);

    verify(queue).doubtOwner(REQUEST);
    verify(queue, never()).countAttempt(anyString(), anyInt());
  }

  private void assertConfirmedThenRecorded(PowerExecutor.Outcome outcome, PowerState observed) {
    assertThat(outcome.kind()).isEqualTo(PowerExecutor.Outcome.Kind.REACHED);
    InOrder order = inOrder(queue, nodes);
    order.verify(queue).confirmAtBmc(eq(REQUEST), anyString());
    order.verify(nodes).recordPowerState(eq(NODE), eq(observed), any());
  }
}
