package io.lightsout.outage.process;

import io.lightsout.power.process.ProcessVariable;

/** Names of processes/queue-review.bpmn that Java refers to. */
public final class QueueReviewProcess {

  public static final String KEY = "queue-review";
  public static final String TASK_REVIEW = "Task_ReviewHeldQueues";
  public static final String MESSAGE_SETTLED = "QueueReviewSettled";

  public static final ProcessVariable<String> REVIEW_ID = ProcessVariable.string("reviewId");
  public static final ProcessVariable<String> TITLE = ProcessVariable.string("reviewTitle");
  /** The held nodes as the task's name shows them ("rack1-node07 and 2 more"): the name is an expression on it. */
  public static final ProcessVariable<String> HELD_NODES = ProcessVariable.string("heldNodes");
  public static final ProcessVariable<String> SUMMARY = ProcessVariable.string("reviewSummary");
  /** JSON lists of {label, value} for the form's checklists. */
  public static final String NODE_OPTIONS = "nodeOptions";
  public static final String REQUEST_OPTIONS = "requestOptions";
  /** The operator's answer. */
  public static final ProcessVariable<String> DECISION = ProcessVariable.string("decision");
  public static final String CANCEL_NODES = "cancelNodes";
  public static final String CANCEL_REQUESTS = "cancelRequests";
  public static final ProcessVariable<String> DECIDED_BY = ProcessVariable.string("decidedBy");

  private QueueReviewProcess() {}
}
