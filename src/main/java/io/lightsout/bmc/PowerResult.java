package io.lightsout.bmc;

/**
 * What a power operation achieved.
 *
 * @param observed      the power state read back last
 * @param reachedTarget whether the node reached the action's target state within the verify bound
 * @param commandsSent  state-changing commands sent to the BMC (0 when the node already was in the target state)
 * @param detail        a short human-readable account, e.g. "already on" or "off after 1 command"
 */
public record PowerResult(PowerState observed, boolean reachedTarget, int commandsSent, String detail) {
}
