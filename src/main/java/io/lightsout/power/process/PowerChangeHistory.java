package io.lightsout.power.process;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

/**
 * History of power-change instances without a second copy of each variable. History level {@code full} writes two
 * rows when a variable is created: the variable's (ACT_HI_VARINST, its value until it changes) and a detail
 * (ACT_HI_DETAIL, its value at that update). A power-change variable is set once, when the instance starts or
 * joins its queue, so the detail repeats the variable's row; it is left out for creations in power-change only.
 * Updates keep their details, and every other process keeps all of them. Two inserts fewer per request
 * (BENCHMARKS.md); history level and schema unchanged.
 */
@Component
class PowerChangeHistory extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<HistoryEventHandler> handlers = new ArrayList<>();
    if (configuration.getCustomHistoryEventHandlers() != null) {
      handlers.addAll(configuration.getCustomHistoryEventHandlers());
    }
    handlers.add(0, new Handler());
    configuration.setCustomHistoryEventHandlers(handlers);
    // ours replaces the engine's own database handler, which it extends
    configuration.setEnableDefaultDbHistoryEventHandler(false);
  }

  /** The engine's database handler, writing no detail for a power-change variable's creation. */
  static final class Handler extends DbHistoryEventHandler {

    @Override
    protected boolean shouldWriteHistoricDetail(HistoricVariableUpdateEventEntity event) {
      return super.shouldWriteHistoricDetail(event) && !(PowerChangeProcess.KEY.equals(event.getProcessDefinitionKey())
          && event.isEventOfType(HistoryEventTypes.VARIABLE_INSTANCE_CREATE));
    }
  }
}
