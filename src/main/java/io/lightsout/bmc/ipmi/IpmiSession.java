package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.PowerState;
import java.time.Duration;
import org.metricshub.ipmi.core.api.async.ConnectionHandle;
import org.metricshub.ipmi.core.api.sync.IpmiConnector;
import org.metricshub.ipmi.core.coding.commands.IpmiVersion;
import org.metricshub.ipmi.core.coding.commands.PrivilegeLevel;
import org.metricshub.ipmi.core.coding.commands.chassis.GetChassisStatus;
import org.metricshub.ipmi.core.coding.commands.chassis.GetChassisStatusResponseData;
import org.metricshub.ipmi.core.coding.commands.session.SetSessionPrivilegeLevel;
import org.metricshub.ipmi.core.coding.protocol.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One open RMCP+ session with one BMC, on the shared connector. */
final class IpmiSession implements BmcSession {

  private static final Logger log = LoggerFactory.getLogger(IpmiSession.class);

  private final IpmiConnector connector;
  private final CallGuard guard;
  private final ConnectionHandle handle;
  private final String address;
  private final String user;
  private final Duration timeout;

  IpmiSession(IpmiConnector connector, CallGuard guard, ConnectionHandle handle, String address, String user,
        Duration timeout) {
    this.connector = connector;
    this.guard = guard;
    this.handle = handle;
    this.address = address;
    this.user = user;
    this.timeout = timeout;
  }

  /** Sessions start at User level; chassis control needs Administrator. */
  void raisePrivilege() {
    try {
      guard.call(() -> connector.sendMessage(handle, new SetSessionPrivilegeLevel(IpmiVersion.V20,
          handle.getCipherSuite(), AuthenticationType.RMCPPlus, PrivilegeLevel.Administrator)));
    } catch (Exception e) {
      throw IpmiFaults.command(address, user, "set session privilege level (Administrator)", timeout, e);
    }
  }

  @Override
  public PowerState read() {
    try {
      GetChassisStatusResponseData status = (GetChassisStatusResponseData) guard.call(() -> connector.sendMessage(
          handle, new GetChassisStatus(IpmiVersion.V20, handle.getCipherSuite(), AuthenticationType.RMCPPlus)));
      PowerState state = status.isPowerOn() ? PowerState.ON : PowerState.OFF;
      log.debug("BMC {} reports power {}", address, state.wireName());
      return state;
    } catch (Exception e) {
      throw IpmiFaults.command(address, user, "get chassis status", timeout, e);
    }
  }

  @Override
  public void send(ChassisCommand command) {
    log.debug("BMC {}: chassis control {}", address, command.description());
    try {
      guard.call(() -> connector.sendMessage(handle, new ChassisControlRequest(handle.getCipherSuite(), command)));
    } catch (Exception e) {
      throw IpmiFaults.command(address, user, "chassis control (" + command.description() + ")", timeout, e);
    }
  }

  @Override
  public void close() {
    try {
      guard.call(() -> {
        connector.closeSession(handle);
        return null;
      });
    } catch (Exception e) {
      log.debug("BMC {}: closing the session failed ({}); the BMC will time it out", address, e.toString());
    } finally {
      connector.closeConnection(handle);
    }
  }
}
