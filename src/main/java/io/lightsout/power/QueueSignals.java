package io.lightsout.power;

/**
 * How the queue wakes the processes waiting in it (a port; the Camunda adapter correlates messages).
 * Both are called inside the transaction that changed the queue, so they commit or roll back with it.
 */
public interface QueueSignals {

  /** The request is now the node's running one: its process may execute. */
  void turnGranted(String requestId);

  /** The request was cancelled or superseded while waiting: its process ends. */
  void withdrawn(String requestId);
}
