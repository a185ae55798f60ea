package io.lightsout.outage;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an operator decided in a queue review: resume everything, cancel everything, or cancel the
 * listed nodes' and requests' work and resume the rest.
 */
public record ReviewDecision(Choice choice, Set<String> cancelNodes, Set<String> cancelRequests) {

  public enum Choice {
    RESUME_ALL("resume-all"), CANCEL_ALL("cancel-all"), PER_REQUEST("per-request");

    private final String wireName;

    Choice(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Choice fromWire(String value) {
      for (Choice choice : values()) {
        if (choice.wireName.equals(value)) {
          return choice;
        }
      }
      throw new IllegalArgumentException("decision must be resume-all, cancel-all or per-request, not '" + value + "'");
    }
  }

  public ReviewDecision {
    cancelNodes = Set.copyOf(cancelNodes);
    cancelRequests = Set.copyOf(cancelRequests);
  }

  boolean cancels(String nodeId, String requestId) {
    return choice == Choice.CANCEL_ALL
        || choice == Choice.PER_REQUEST && (cancelNodes.contains(nodeId) || cancelRequests.contains(requestId));
  }

  String describe(List<String> cancelled, List<String> resumedNodes) {
    return choice.wireName() + ": cancelled " + (cancelled.isEmpty() ? "nothing" : String.join(", ", cancelled))
        + "; resumed " + (resumedNodes.isEmpty() ? "no node" : String.join(", ", resumedNodes))
        .toLowerCase(Locale.ROOT);
  }
}
