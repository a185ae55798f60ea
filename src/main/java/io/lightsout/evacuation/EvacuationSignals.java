package io.lightsout.evacuation;

/**
 * How the evacuation wakes its process (a port; the Camunda adapter correlates messages). Called inside the
 * transaction that changed the evacuation's records, so both commit or roll back together.
 */
public interface EvacuationSignals {

  /** The fencing 'off' is final: confirmed at the BMC, or not (then an operator decides). */
  void fenceSettled(String processInstanceId, boolean confirmed, String detail);

  /** The instance waiting for a rebuild slot at this execution got one. */
  void slotGranted(String waitingExecutionId);
}
