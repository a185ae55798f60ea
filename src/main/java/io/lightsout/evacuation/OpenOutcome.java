package io.lightsout.evacuation;

/**
 * What opening an evacuation came to: a new one, the one already running for the host, or a refusal.
 *
 * @param kind         opened, duplicate or rejected
 * @param evacuationId the new or the running evacuation (null when rejected)
 * @param detail       why it was rejected, for people
 */
public record OpenOutcome(Kind kind, String evacuationId, String detail) {

  public enum Kind { OPENED, DUPLICATE, REJECTED }
}
