package io.lightsout.testing;

import java.lang.reflect.Proxy;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/** Process instances for camunda-bpm-assert, which asserts on history once an instance has ended. */
public final class Processes {

  private Processes() {}

  /** A {@link ProcessInstance} view of a historic one (ended or not), for {@code BpmnAwareTests.assertThat}. */
  public static ProcessInstance of(HistoricProcessInstance historic) {
    return (ProcessInstance) Proxy.newProxyInstance(Processes.class.getClassLoader(),
        new Class<?>[] {ProcessInstance.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getId", "getProcessInstanceId", "getRootProcessInstanceId" -> historic.getId();
          case "getProcessDefinitionId" -> historic.getProcessDefinitionId();
          case "getBusinessKey" -> historic.getBusinessKey();
          case "getTenantId" -> historic.getTenantId();
          case "getCaseInstanceId" -> historic.getCaseInstanceId();
          case "isEnded" -> historic.getEndTime() != null;
          case "isSuspended" -> false;
          case "toString" -> "ProcessInstance[" + historic.getId() + "]";
          case "hashCode" -> historic.getId().hashCode();
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
