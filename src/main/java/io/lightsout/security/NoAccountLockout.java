package io.lightsout.security;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.spring.boot.starter.configuration.impl.AbstractCamundaConfiguration;
import org.springframework.stereotype.Component;

/**
 * Turns off Camunda's lock-out of user accounts after wrong passwords. By default every wrong password
 * locks the account for 3 s doubling up to 60 s (ENGINE-27001), and 10 wrong ones lock it for good
 * (ENGINE-27002): anyone who can reach the API could lock out the administrator and every automation
 * account. With no delay and no attempt limit the holder of the right password always gets in;
 * {@link LoginThrottle} slows guessing per client address instead.
 */
@Component
class NoAccountLockout extends AbstractCamundaConfiguration {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setLoginMaxAttempts(Integer.MAX_VALUE);
    configuration.setLoginDelayBase(0);
    configuration.setLoginDelayMaxTime(0);
  }
}
