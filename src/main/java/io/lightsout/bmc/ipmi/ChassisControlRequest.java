package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.ChassisCommand;
import org.metricshub.ipmi.core.coding.commands.IpmiCommandCoder;
import org.metricshub.ipmi.core.coding.commands.IpmiVersion;
import org.metricshub.ipmi.core.coding.commands.ResponseData;
import org.metricshub.ipmi.core.coding.commands.chassis.ChassisControlResponseData;
import org.metricshub.ipmi.core.coding.payload.CompletionCode;
import org.metricshub.ipmi.core.coding.payload.IpmiPayload;
import org.metricshub.ipmi.core.coding.payload.lan.IPMIException;
import org.metricshub.ipmi.core.coding.payload.lan.IpmiLanRequest;
import org.metricshub.ipmi.core.coding.payload.lan.IpmiLanResponse;
import org.metricshub.ipmi.core.coding.payload.lan.NetworkFunction;
import org.metricshub.ipmi.core.coding.protocol.AuthenticationType;
import org.metricshub.ipmi.core.coding.protocol.IpmiMessage;
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * Chassis Control (NetFn chassis, command 0x02) with any control code. ipmi-java 1.2.01's own {@code ChassisControl}
 * knows only power down, power up and hard reset; soft off (ACPI, code 0x05) needs this one.
 */
final class ChassisControlRequest extends IpmiCommandCoder {

  private static final byte CHASSIS_CONTROL = 0x02;

  private final byte controlCode;

  ChassisControlRequest(CipherSuite cipherSuite, ChassisCommand command) {
    super(IpmiVersion.V20, cipherSuite, AuthenticationType.RMCPPlus);
    this.controlCode = switch (command) {
      case POWER_OFF -> 0x00;
      case POWER_ON -> 0x01;
      case HARD_RESET -> 0x03;
      case SOFT_OFF -> 0x05;
    };
  }

  @Override
  public byte getCommandCode() {
    return CHASSIS_CONTROL;
  }

  @Override
  public NetworkFunction getNetworkFunction() {
    return NetworkFunction.ChassisRequest;
  }

  @Override
  protected IpmiPayload preparePayload(int sequenceNumber) {
    return new IpmiLanRequest(getNetworkFunction(), getCommandCode(), new byte[] {controlCode}, (byte) sequenceNumber);
  }

  @Override
  public ResponseData getResponseData(IpmiMessage message) throws IPMIException {
    if (!isCommandResponse(message) || !(message.getPayload() instanceof IpmiLanResponse response)) {
      throw new IllegalArgumentException("not a Chassis Control response");
    }
    if (response.getCompletionCode() != CompletionCode.Ok) {
      throw new IPMIException(response.getCompletionCode());
    }
    return new ChassisControlResponseData();
  }
}
