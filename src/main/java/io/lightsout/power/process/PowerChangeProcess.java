package io.lightsout.power.process;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Names of processes/power-change.bpmn that Java refers to: the model's ids live here only. */
public final class PowerChangeProcess {

  public static final String KEY = "power-change";

  public static final String MESSAGE_TURN_GRANTED = "PowerRequestTurnGranted";
  public static final String MESSAGE_WITHDRAWN = "PowerRequestWithdrawn";

  public static final String TASK_WAIT_FOR_TURN = "Task_WaitForTurn";
  public static final String TASK_EXECUTE_POWER_ACTION = "Task_ExecutePowerAction";
  public static final String TASK_VERIFY_POWER_STATE = "Task_VerifyPowerState";
  public static final String END_REJECTED = "End_Rejected";
  public static final String END_MERGED = "End_Merged";
  public static final String TASK_READ_REJECTION = "Task_ReadRejection";

  /**
   * Inputs: {@code nodeId} and {@code action} are all the engine REST API must give. A {@code requestId} given at the
   * start becomes the business key; the steps read the request id from the business key, never from a variable.
   */
  public static final ProcessVariable<String> REQUEST_ID = ProcessVariable.string("requestId");
  public static final ProcessVariable<String> NODE_ID = ProcessVariable.string("nodeId");
  public static final ProcessVariable<String> ACTION = ProcessVariable.string("action");
  public static final ProcessVariable<String> IF_BUSY = ProcessVariable.string("ifBusy");
  public static final ProcessVariable<String> REASON = ProcessVariable.string("reason");
  public static final ProcessVariable<String> CALLBACK_URL = ProcessVariable.string("callbackUrl");
  public static final ProcessVariable<String> IDEMPOTENCY_KEY = ProcessVariable.string("idempotencyKey");
  /** {@code tasklist} when Tasklist's start form started the instance: a rejection then becomes a task for the starter. */
  public static final ProcessVariable<String> STARTED_IN = ProcessVariable.string("startedIn");

  /** Set by the process when it rejects a request, and kept: who asked, and why (read in Tasklist's task). */
  public static final ProcessVariable<String> REQUESTED_BY = ProcessVariable.string("requestedBy");
  public static final ProcessVariable<String> REJECTION = ProcessVariable.string("rejection");
  public static final ProcessVariable<String> REJECTION_REASON = ProcessVariable.string("rejectionReason");

  /**
   * Set by a step for the gateway and the step right after it, in the same transaction: transient, so neither the
   * runtime tables nor history store them (the request's row in lo_power_request holds status, result and failure,
   * and history holds the path taken). Each one stored would cost a runtime row and two history rows per request.
   */
  public static final ProcessVariable<String> JOIN_OUTCOME = ProcessVariable.string("joinOutcome");
  public static final ProcessVariable<String> POWER_OUTCOME = ProcessVariable.string("powerOutcome");
  public static final ProcessVariable<String> VERIFY_INTERVAL = ProcessVariable.string("verifyInterval");
  public static final ProcessVariable<String> COMMAND_PAUSE = ProcessVariable.string("commandPause");
  public static final ProcessVariable<String> RESULT = ProcessVariable.string("result");
  public static final ProcessVariable<String> FAILURE = ProcessVariable.string("failure");
  public static final ProcessVariable<Boolean> BMC_UNREACHABLE = ProcessVariable.bool("bmcUnreachable");

  private PowerChangeProcess() {}

  /** The request a step works on: "Join node queue" made the instance's business key its id. */
  public static String requestIdOf(DelegateExecution execution) {
    return execution.getProcessBusinessKey();
  }
}
