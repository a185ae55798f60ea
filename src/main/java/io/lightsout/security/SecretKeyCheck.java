package io.lightsout.security;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Finds the key for secrets at rest before any bean is made: a missing or unreadable key refuses the start
 * in seconds, before the engine creates or migrates its schema.
 */
@Component
class SecretKeyCheck implements BeanFactoryPostProcessor, EnvironmentAware {

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    SecretsProperties properties = Binder.get(environment).bind("lightsout.secrets", SecretsProperties.class)
        .orElseGet(SecretsProperties::new);
    new SecretKeyLoader(properties, System::getenv).load();
  }
}
