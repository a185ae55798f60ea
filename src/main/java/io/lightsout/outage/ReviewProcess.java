package io.lightsout.outage;

import java.util.List;

/** The queue-review process seen from the outage domain (a port; the Camunda adapter implements it). */
public interface ReviewProcess {

  /**
   * Opens the review's Tasklist task; returns the process instance id.
   *
   * @param nodes the held nodes as the task's name shows them, e.g. "rack1-node07 and 2 more"
   */
  String open(String reviewId, String title, String nodes, String summary, List<Option> nodeOptions,
      List<Option> requestOptions);

  /** The review was settled outside Tasklist (resume over REST): its task closes. */
  void settle(String reviewId);

  /** One choice in the form: what the operator reads, and the id it stands for. */
  record Option(String label, String value) {}
}
