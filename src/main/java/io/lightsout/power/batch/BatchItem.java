package io.lightsout.power.batch;

/** One item of a batch as the client sent it; values are raw, the power request service validates them. */
public record BatchItem(String nodeId, String action, String reason, String ifBusy, String callbackUrl) {
}
