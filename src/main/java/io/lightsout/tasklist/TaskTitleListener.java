package io.lightsout.tasklist;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.springframework.stereotype.Component;

/**
 * Gives a user task the title Tasklist lists it by, from the task's extension property {@code title} (an expression
 * such as {@code Confirm host ${hostId} is powered off}), when the task is created. The element's own name stays
 * plain ("Confirm host is powered off"), because Cockpit draws the name in the diagram as written.
 */
@Component("taskTitle")
public class TaskTitleListener implements TaskListener {

  static final String PROPERTY = "title";

  @Override
  public void notify(DelegateTask task) {
    String template = titleTemplate(task.getBpmnModelElementInstance());
    if (template != null) {
      Expression title = Context.getProcessEngineConfiguration().getExpressionManager().createExpression(template);
      task.setName(String.valueOf(title.getValue(task)));
    }
  }

  private static String titleTemplate(UserTask element) {
    ExtensionElements extensions = element == null ? null : element.getExtensionElements();
    if (extensions == null) {
      return null;
    }
    return extensions.getElementsQuery().filterByType(CamundaProperties.class).list().stream()
        .flatMap(properties -> properties.getCamundaProperties().stream())
        .filter(property -> PROPERTY.equals(property.getCamundaName()))
        .map(CamundaProperty::getCamundaValue)
        .findFirst().orElse(null);
  }
}
