package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A verified Basic pair is remembered for a while; anything else always asks the identity service. */
class VerifiedCallersTest {

  private final IdentityService identity = mock(IdentityService.class, RETURNS_DEEP_STUBS);

  @BeforeEach
  void oneUser() {
    when(identity.checkPassword(anyString(), anyString()))
        .thenAnswer(call -> call.getArgument(0).equals("ops") && call.getArgument(1).equals("right"));
    Group operators = mock(Group.class);
    when(operators.getId()).thenReturn(Caller.OPERATORS);
    when(identity.createGroupQuery().groupMember("ops").list()).thenReturn(List.of(operators));
  }

  @Test
  void theSamePairWithinTheIntervalIsCheckedOnce() {
    VerifiedCallers callers = new VerifiedCallers(identity, Duration.ofSeconds(10));

    Caller first = callers.verify(basic("ops", "right")).orElseThrow();
    Caller second = callers.verify(basic("ops", "right")).orElseThrow();

    assertThat(second).isEqualTo(first);
    assertThat(first.mayAct()).isTrue();
    verify(identity, times(1)).checkPassword("ops", "right");
  }

  @Test
  void aWrongPasswordIsNeverTakenFromMemoryAndForgetsTheRightOne() {
    VerifiedCallers callers = new VerifiedCallers(identity, Duration.ofSeconds(10));
    callers.verify(basic("ops", "right")).orElseThrow();

    assertThat(callers.verify(basic("ops", "wrong"))).isEmpty();
    assertThat(callers.verify(basic("ops", "wrong"))).isEmpty();
    assertThat(callers.verify(basic("ops", "right"))).isPresent();

    verify(identity, times(2)).checkPassword("ops", "wrong");
    verify(identity, times(2)).checkPassword("ops", "right");
  }

  @Test
  void afterTheIntervalThePairIsCheckedAgain() throws InterruptedException {
    VerifiedCallers callers = new VerifiedCallers(identity, Duration.ofMillis(50));
    callers.verify(basic("ops", "right")).orElseThrow();

    Thread.sleep(120);
    callers.verify(basic("ops", "right")).orElseThrow();

    verify(identity, times(2)).checkPassword("ops", "right");
  }

  @Test
  void zeroTurnsTheMemoryOff() {
    VerifiedCallers callers = new VerifiedCallers(identity, Duration.ZERO);

    callers.verify(basic("ops", "right")).orElseThrow();
    callers.verify(basic("ops", "right")).orElseThrow();

    verify(identity, times(2)).checkPassword("ops", "right");
  }

  private static BasicCredentials basic(String user, String password) {
    String header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    return BasicCredentials.parse(header).orElseThrow();
  }
}
