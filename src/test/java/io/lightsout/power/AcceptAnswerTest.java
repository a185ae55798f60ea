package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lightsout.bmc.PowerAction;
import io.lightsout.power.PowerRequestService.SubmitResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The answer to an accept comes from its join, not from a read after the commit: an accept whose commit went
 * through while the database went away right after (found by DatabaseRestartIT: a post answered 503 while its
 * request was stored, so a client retrying without an Idempotency-Key would have made it twice) is answered 202
 * with the request as stored. Here every read fails for certain, which a real server stop hits only by chance.
 */
class AcceptAnswerTest {

  private static final Instant AT = Instant.parse("2026-12-06T03:00:00Z");

  private final PowerProcessStarter starter = mock(PowerProcessStarter.class);
  private final PowerRequestRepository requests = mock(PowerRequestRepository.class);
  private final NodeRepository nodes = mock(NodeRepository.class);
  private final CallbackPolicy callbacks = mock(CallbackPolicy.class);
  private final PowerRequestService service = new PowerRequestService(starter, mock(PowerQueue.class), requests, nodes,
      new PowerRequestViews(requests, nodes), callbacks, Clock.systemUTC());

  @Test
  void anAcceptIsAnsweredFromItsJoinWithoutReadingItBack() {
    when(nodes.find("rack1-node07")).thenReturn(Optional.of(mock(Node.class)));
    when(callbacks.refusal(any())).thenReturn(Optional.empty());
    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("process-1",
        JoinOutcome.of(JoinOutcome.Kind.WAIT, "behind 2 requests")
            .with(stored("r-7", "rack1-node07", 12, PowerAction.CYCLE, RequestStatus.QUEUED, null), 2, null)));
    when(requests.find(anyString())).thenThrow(new CannotGetJdbcConnectionException("Connection refused"));
    when(requests.ahead(any())).thenThrow(new CannotGetJdbcConnectionException("Connection refused"));

    SubmitResult result = service.submit(new PowerRequestService.Submission("rack1-node07", "cycle", null,
        "kernel update", null, null, "alice"));

    assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
    PowerRequestView view = ((SubmitResult.Accepted) result).request();
    assertThat(view.id()).isEqualTo("r-7");
    assertThat(view.nodeId()).isEqualTo("rack1-node07");
    assertThat(view.action()).isEqualTo("cycle");
    assertThat(view.status()).isEqualTo("queued");
    assertThat(view.position()).isEqualTo(2);
    assertThat(view.sequence()).isEqualTo(12);
    assertThat(view.reason()).isEqualTo("kernel update");
    assertThat(view.requestedBy()).isEqualTo("alice");
    assertThat(view.requestedAt()).isEqualTo(AT);
    assertThat(view.ifBusy()).isEqualTo("queue");
    assertThat(view.processInstanceId()).isEqualTo("process-1");
  }

  @Test
  void aRequestQueuedOnAHeldNodeReadsHeldWithTheHoldAndAMergedOneMergedWithoutAPosition() {
    when(nodes.find("rack1-node08")).thenReturn(Optional.of(mock(Node.class)));
    when(callbacks.refusal(any())).thenReturn(Optional.empty());
    PowerRequestService.Submission on = new PowerRequestService.Submission("rack1-node08", "on", "queue", null, null,
        null, "alice");
    Hold hold = new Hold(Hold.Kind.OPERATOR, "rack maintenance", AT);

    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("p", JoinOutcome.of(JoinOutcome.Kind.WAIT, "")
        .with(stored("r-8", "rack1-node08", 3, PowerAction.ON, RequestStatus.QUEUED, null), 0, hold)));
    PowerRequestView held = ((SubmitResult.Accepted) service.submit(on)).request();
    assertThat(held.status()).isEqualTo("held");
    assertThat(held.hold().reason()).isEqualTo("rack maintenance");

    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("p", JoinOutcome.of(JoinOutcome.Kind.MERGED, "")
        .with(stored("r-9", "rack1-node08", 4, PowerAction.ON, RequestStatus.MERGED, "r-8"), 0, null)));
    PowerRequestView merged = ((SubmitResult.Accepted) service.submit(on)).request();
    assertThat(merged.status()).isEqualTo("merged");
    assertThat(merged.mergedInto()).isEqualTo("r-8");
    assertThat(merged.position()).isNull();
  }

  private static PowerRequest stored(String id, String node, long seq, PowerAction action, RequestStatus status,
      String mergedInto) {
    return new PowerRequest(id, node, seq, action, status, action == PowerAction.CYCLE ? "kernel update" : null,
        null, "alice", AT, null, status.isFinal() ? AT : null, 0, mergedInto, IfBusy.QUEUE, null, null, "process-1",
        null, null);
  }
}
