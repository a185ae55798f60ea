package io.lightsout.power;

import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Observes each node's power state every {@code lightsout.monitor.interval} (default 5 min), spread
 * over the interval in small batches, a few BMCs at a time (the drivers' own per-BMC and fleet-wide
 * limits apply). It never changes power: it only reads and records.
 */
@Component
class PowerMonitor implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(PowerMonitor.class);

  private final NodeRepository nodes;
  private final NodeService nodeService;
  private final BmcDriverRegistry drivers;
  private final Clock clock;
  private final Duration interval;
  private final Duration tick;
  private final boolean enabled;
  private final ExecutorService readers;

  PowerMonitor(NodeRepository nodes, NodeService nodeService, BmcDriverRegistry drivers, Clock clock,
      @Value("${lightsout.monitor.interval:5m}") Duration interval,
      @Value("${lightsout.monitor.tick:10s}") Duration tick,
      @Value("${lightsout.monitor.enabled:true}") boolean enabled,
      @Value("${lightsout.monitor.parallel-reads:8}") int parallelReads) {
    this.nodes = nodes;
    this.nodeService = nodeService;
    this.drivers = drivers;
    this.clock = clock;
    this.interval = interval;
    this.tick = tick;
    this.enabled = enabled;
    this.readers = Executors.newFixedThreadPool(parallelReads, runnable -> {
      Thread thread = new Thread(runnable, "power-monitor");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Scheduled(fixedDelayString = "${lightsout.monitor.tick:10s}", initialDelayString = "${lightsout.monitor.tick:10s}")
  void observeDue() {
    if (!enabled) {
      return;
    }
    long fleet = nodes.count();
    int batch = (int) Math.max(1, Math.ceil(fleet * (double) tick.toMillis() / interval.toMillis()) + 1);
    List<String> due = nodes.observedBefore(clock.instant().minus(interval), batch);
    List<Future<?>> reads = due.stream().<Future<?>>map(id -> readers.submit(() -> observe(id))).toList();
    for (Future<?> read : reads) {
      try {
        read.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.debug("power read failed", e.getCause());
      }
    }
  }

  /** Reads one node's power state and records it, or the BMC's error. */
  void observe(String nodeId) {
    BmcSettings settings = nodes.bmcSettings(nodeId).orElse(null);
    if (settings == null) {
      return;
    }
    PowerState state;
    try {
      state = drivers.driver(settings.driver()).powerState(settings);
    } catch (BmcFault fault) {
      // the last observed state stays, with its time; the node shows the error and when
      nodeService.recordBmcError(nodeId, fault.getMessage());
      return;
    }
    nodes.recordPowerState(nodeId, state, clock.instant());
  }

  @Override
  public void destroy() {
    readers.shutdownNow();
  }
}
