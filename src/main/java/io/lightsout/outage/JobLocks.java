package io.lightsout.outage;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The engine-specific part of outage handling, kept in one place: this instance's job executor
 * locks jobs under its instance id, and the job locks of a dead instance are released at once
 * instead of after the lock time (Camunda has no public API for that).
 */
@Component
class JobLocks extends AbstractCamundaConfiguration {

  private final EngineInstance instance;
  private final JdbcTemplate jdbc;

  JobLocks(EngineInstance instance, JdbcTemplate jdbc) {
    this.instance = instance;
    this.jdbc = jdbc;
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getJobExecutor() != null) {
      configuration.getJobExecutor().setLockOwner(instance.id());
    }
  }

  /** Releases every job lock held by the given (dead) instance; returns how many. */
  int releaseLocksOf(String deadInstance) {
    return jdbc.update("UPDATE ACT_RU_JOB SET LOCK_OWNER_ = NULL, LOCK_EXP_TIME_ = NULL WHERE LOCK_OWNER_ = ?",
        deadInstance);
  }
}
