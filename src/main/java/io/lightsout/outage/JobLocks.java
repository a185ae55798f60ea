package io.lightsout.outage;

import io.lightsout.power.OwnerInDoubt;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The engine-specific part of outage handling, kept in one place: this instance's job executor
 * locks jobs under its instance id; the job locks of a dead instance are released at once
 * instead of after the lock time (Camunda has no public API for that); and a job that waits for
 * its request's owner ({@link OwnerInDoubt}) is looked at again a little later, unlocked and
 * without spending one of its retries.
 */
@Component
class JobLocks extends AbstractCamundaConfiguration {

  private final EngineInstance instance;
  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final Duration recheck;

  JobLocks(EngineInstance instance, JdbcTemplate jdbc, Clock clock,
      @Value("${lightsout.heartbeat.interval:10s}") Duration heartbeatInterval) {
    this.instance = instance;
    this.jdbc = jdbc;
    this.clock = clock;
    this.recheck = heartbeatInterval.dividedBy(2);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getJobExecutor() != null) {
      configuration.getJobExecutor().setLockOwner(instance.id());
    }
    FailedJobCommandFactory failed = configuration.getFailedJobCommandFactory();
    configuration.setFailedJobCommandFactory((jobId, failure) -> waitsForOwner(failure)
        ? recheckLater(jobId, failure.getMessage()) : failed.getCommand(jobId, failure));
  }

  private static boolean waitsForOwner(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OwnerInDoubt) {
        return true;
      }
    }
    return false;
  }

  private Command<Object> recheckLater(String jobId, String why) {
    return context -> {
      JobEntity job = context.getJobManager().findJobById(jobId);
      if (job != null) {
        job.unlock();
        job.setDuedate(Date.from(clock.instant().plus(recheck)));
        job.setExceptionMessage(why);
      }
      return null;
    };
  }

  /** Releases every job lock held by the given (dead) instance; returns how many. */
  int releaseLocksOf(String deadInstance) {
    return jdbc.update("UPDATE ACT_RU_JOB SET LOCK_OWNER_ = NULL, LOCK_EXP_TIME_ = NULL WHERE LOCK_OWNER_ = ?",
        deadInstance);
  }
}
