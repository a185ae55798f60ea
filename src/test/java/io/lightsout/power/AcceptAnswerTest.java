package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lightsout.power.PowerRequestService.SubmitResult;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The answer to an accept whose commit went through while the database went away right after (found by
 * DatabaseRestartIT: a post answered 503 while its request was stored, so a client retrying without an
 * Idempotency-Key would have made it twice). Here the read-back fails for certain, which a real server stop
 * hits only by chance.
 */
class AcceptAnswerTest {

  private final PowerProcessStarter starter = mock(PowerProcessStarter.class);
  private final PowerRequestRepository requests = mock(PowerRequestRepository.class);
  private final NodeRepository nodes = mock(NodeRepository.class);
  private final CallbackPolicy callbacks = mock(CallbackPolicy.class);
  private final PowerRequestService service = new PowerRequestService(starter, mock(PowerQueue.class), requests, nodes,
      mock(PowerRequestViews.class), callbacks, Clock.systemUTC());

  @Test
  void anAcceptThatCannotBeReadBackIsStillAnsweredAsAccepted() {
    when(nodes.find("rack1-node07")).thenReturn(Optional.of(mock(Node.class)));
    when(callbacks.refusal(any())).thenReturn(Optional.empty());
    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("process-1",
        JoinOutcome.of(JoinOutcome.Kind.WAIT, "behind 2 requests")));
    when(requests.find(anyString())).thenThrow(new CannotGetJdbcConnectionException("Connection refused"));

    SubmitResult result = service.submit(new PowerRequestService.Submission("rack1-node07", "cycle", null,
        "kernel update", null, null, "alice"));

    assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
    PowerRequestView view = ((SubmitResult.Accepted) result).request();
    assertThat(view.id()).isNotBlank();
    assertThat(view.nodeId()).isEqualTo("rack1-node07");
    assertThat(view.action()).isEqualTo("cycle");
    assertThat(view.status()).isEqualTo("queued");
    assertThat(view.requestedBy()).isEqualTo("alice");
    assertThat(view.ifBusy()).isEqualTo("queue");
    assertThat(view.processInstanceId()).isEqualTo("process-1");
    assertThat(view.sequence()).as("not known without the row").isNull();
  }

  @Test
  void aRequestGivenItsTurnAtOnceReadsRunningAndAMergedOneMerged() {
    when(nodes.find("rack1-node08")).thenReturn(Optional.of(mock(Node.class)));
    when(callbacks.refusal(any())).thenReturn(Optional.empty());
    when(requests.find(anyString())).thenThrow(new CannotGetJdbcConnectionException("Connection refused"));
    PowerRequestService.Submission on = new PowerRequestService.Submission("rack1-node08", "on", "queue", null, null,
        null, "alice");

    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("p", JoinOutcome.of(JoinOutcome.Kind.RUN, "")));
    assertThat(((SubmitResult.Accepted) service.submit(on)).request().status()).isEqualTo("running");
    when(starter.start(any())).thenReturn(new PowerProcessStarter.Started("p", JoinOutcome.of(JoinOutcome.Kind.MERGED, "")));
    assertThat(((SubmitResult.Accepted) service.submit(on)).request().status()).isEqualTo("merged");
  }
}
