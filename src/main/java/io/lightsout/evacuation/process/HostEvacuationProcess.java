package io.lightsout.evacuation.process;

import io.lightsout.power.process.ProcessVariable;

/** Names of processes/host-evacuation.bpmn that Java refers to: the model's ids live here only. */
public final class HostEvacuationProcess {

  public static final String KEY = "host-evacuation";

  public static final String MESSAGE_FENCE_SETTLED = "HostFenceSettled";
  public static final String MESSAGE_REBUILD_SLOT_GRANTED = "EvacuationRebuildSlotGranted";
  public static final String ERROR_EVACUATION_REFUSED = "EVACUATION_REFUSED";
  public static final String ERROR_INSTANCE_FAILED = "INSTANCE_FAILED";

  public static final String TASK_WAIT_FOR_FENCING = "Task_WaitForFencing";
  public static final String TASK_CONFIRM_POWERED_OFF = "Task_ConfirmPoweredOff";
  public static final String TASK_MARK_HOST_DOWN = "Task_MarkHostDown";
  public static final String TASK_CLAIM_INSTANCES = "Task_ClaimInstances";
  public static final String TASK_TAKE_REBUILD_SLOT = "Task_TakeRebuildSlot";
  public static final String TASK_WAIT_FOR_REBUILD_SLOT = "Task_WaitForRebuildSlot";
  public static final String TASK_REBUILD_INSTANCE = "Task_RebuildInstance";
  public static final String TASK_VERIFY_PLACEMENT = "Task_VerifyPlacement";
  public static final String TASK_DECIDE_ON_INSTANCE = "Task_DecideOnInstance";
  public static final String TASK_SUMMARIZE = "Task_SummarizeEvacuation";
  public static final String END_COMPLETED = "End_Completed";
  public static final String END_ABORTED = "End_Aborted";
  public static final String END_FAILED = "End_Failed";
  public static final String END_ALREADY_RUNNING = "End_AlreadyRunning";
  public static final String END_REJECTED = "End_Rejected";
  public static final String END_INSTANCE_GIVEN_UP = "End_InstanceGivenUp";

  /** Inputs: {@code hostId} is all the engine REST API must give (or the business key). */
  public static final ProcessVariable<String> HOST_ID = ProcessVariable.string("hostId");
  public static final ProcessVariable<String> EVACUATION_ID = ProcessVariable.string("evacuationId");
  public static final ProcessVariable<String> REASON = ProcessVariable.string("reason");

  /** Set by the process. */
  public static final ProcessVariable<String> REQUESTED_BY = ProcessVariable.string("requestedBy");
  public static final ProcessVariable<String> OPEN_OUTCOME = ProcessVariable.string("openOutcome");
  public static final ProcessVariable<String> REJECTION_REASON = ProcessVariable.string("rejectionReason");
  public static final ProcessVariable<String> VERIFY_INTERVAL = ProcessVariable.string("verifyInterval");
  public static final ProcessVariable<String> FENCE_REQUEST_ID = ProcessVariable.string("fenceRequestId");
  public static final ProcessVariable<String> FENCE_OUTCOME = ProcessVariable.string("fenceOutcome");
  public static final ProcessVariable<String> FENCING_DETAIL = ProcessVariable.string("fencingDetail");
  public static final ProcessVariable<Boolean> FENCING_CONFIRMED = ProcessVariable.bool("fencingConfirmed");
  public static final ProcessVariable<String> EVACUATION_FAILURE = ProcessVariable.string("evacuationFailure");
  public static final ProcessVariable<String> INSTANCE_COUNT = ProcessVariable.string("instanceCount");

  /** The operator's answers in Tasklist (forms/confirm-fencing.form, forms/instance-decision.form). */
  public static final ProcessVariable<String> FENCING_DECISION = ProcessVariable.string("fencingDecision");
  public static final ProcessVariable<String> FENCING_COMMENT = ProcessVariable.string("fencingComment");
  public static final ProcessVariable<String> DECIDED_BY = ProcessVariable.string("decidedBy");

  /** Local to each instance of the multi-instance body. */
  public static final ProcessVariable<String> INSTANCE_ID = ProcessVariable.string("instanceId");
  public static final ProcessVariable<String> SLOT_OUTCOME = ProcessVariable.string("slotOutcome");
  public static final ProcessVariable<String> PLACEMENT_OUTCOME = ProcessVariable.string("placementOutcome");
  public static final ProcessVariable<String> INSTANCE_PROBLEM = ProcessVariable.string("instanceProblem");
  public static final ProcessVariable<String> INSTANCE_DECISION = ProcessVariable.string("instanceDecision");
  public static final ProcessVariable<String> INSTANCE_NEXT = ProcessVariable.string("instanceNext");

  private HostEvacuationProcess() {}
}
