package io.lightsout.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The engine's state as gauges: running instances per process, open incidents, jobs that are due and jobs whose
 * retries are spent, open user tasks. Counted fleet-wide (whoever scrapes), at most once per {@link #FRESH_FOR}.
 */
@Component
class EngineMetrics implements MeterBinder {

  static final Duration FRESH_FOR = Duration.ofSeconds(5);
  static final List<String> PROCESSES = List.of("power-change", "queue-review", "host-evacuation");

  private final RuntimeService runtime;
  private final ManagementService management;
  private final TaskService tasks;
  private final IdentityService identity;
  private final Clock clock;
  private volatile Reading last = new Reading(Map.of(), 0, 0, 0, 0, Instant.EPOCH);

  EngineMetrics(RuntimeService runtime, ManagementService management, TaskService tasks, IdentityService identity,
      Clock clock) {
    this.runtime = runtime;
    this.management = management;
    this.tasks = tasks;
    this.identity = identity;
    this.clock = clock;
  }

  private record Reading(Map<String, Long> instances, long incidents, long dueJobs, long failedJobs, long userTasks,
      Instant at) {}

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String process : PROCESSES) {
      Gauge.builder("lightsout_engine_process_instances", this, m -> m.reading().instances().getOrDefault(process, 0L))
          .description("Running process instances").tag("process", process).register(registry);
    }
    Gauge.builder("lightsout_engine_incidents", this, m -> m.reading().incidents())
        .description("Open incidents").register(registry);
    Gauge.builder("lightsout_engine_jobs", this, m -> m.reading().dueJobs())
        .description("Jobs, by state").tag("state", "due").register(registry);
    Gauge.builder("lightsout_engine_jobs", this, m -> m.reading().failedJobs())
        .description("Jobs, by state").tag("state", "failed").register(registry);
    Gauge.builder("lightsout_engine_user_tasks", this, m -> m.reading().userTasks())
        .description("Open user tasks (Tasklist)").register(registry);
  }

  private Reading reading() {
    Reading reading = last;
    Instant now = clock.instant();
    if (Duration.between(reading.at(), now).compareTo(FRESH_FOR) >= 0) {
      reading = read(now);
      last = reading;
    }
    return reading;
  }

  /** Counts as the engine itself, not as the caller who scrapes: the caller's authorizations would narrow them. */
  private Reading read(Instant now) {
    Authentication caller = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      Map<String, Long> instances = new TreeMap<>();
      for (String process : PROCESSES) {
        instances.put(process, runtime.createProcessInstanceQuery().processDefinitionKey(process).count());
      }
      return new Reading(instances, runtime.createIncidentQuery().count(), management.createJobQuery().executable().count(),
          management.createJobQuery().noRetriesLeft().count(), tasks.createTaskQuery().count(), now);
    } finally {
      if (caller != null) {
        identity.setAuthentication(caller);
      }
    }
  }
}
