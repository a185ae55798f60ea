package io.lightsout.bmc;

import io.lightsout.security.CredentialCipher;
import io.lightsout.security.SecretUnreadableException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Base of drivers that talk to a BMC in sessions: validates settings, takes a {@link BmcGate} pass, opens one session
 * per operation, runs the ensure logic of {@link PowerSteps} on it, and closes it. Drivers only open sessions that
 * read and send.
 */
public abstract class SessionBmcDriver implements BmcDriver {

  private final BmcGate gate;
  private final BmcProperties properties;

  protected SessionBmcDriver(BmcGate gate, BmcProperties properties) {
    this.gate = gate;
    this.properties = properties;
  }

  /** The port used when the settings name none. */
  protected abstract int defaultPort();

  /** The option names this driver understands; any other option is a bad setting. */
  protected abstract Set<String> optionNames();

  /** Driver-specific checks of settings that passed the common ones; throws {@link FatalBmcFault}. */
  protected abstract void validateSpecific(BmcSettings settings);

  /** Opens an authenticated session, called with validated settings that carry a port. */
  protected abstract BmcSession openSession(BmcSettings settings);

  /** The BMC password in clear, for the driver's session only; a password that cannot be opened is fatal. */
  protected static String openPassword(CredentialCipher cipher, BmcSettings settings) {
    try {
      return cipher.open(settings.password());
    } catch (SecretUnreadableException e) {
      throw new FatalBmcFault(settings.address(), "password cannot be used: " + e.getMessage(), e);
    }
  }

  @Override
  public final void validate(BmcSettings settings) {
    if (settings == null) {
      throw new FatalBmcFault(null, "BMC settings are missing");
    }
    String address = settings.address();
    if (!name().equals(settings.driver())) {
      throw new FatalBmcFault(address, "is configured for driver '" + settings.driver() + "', not '" + name() + "'");
    }
    if (settings.host() == null || settings.host().isBlank() || settings.host().chars().anyMatch(Character::isWhitespace)) {
      throw new FatalBmcFault(address, "has no valid host: '" + settings.host() + "'");
    }
    if (settings.port() != null && (settings.port() < 1 || settings.port() > 65535)) {
      throw new FatalBmcFault(address, "has an invalid port: " + settings.port() + " (allowed 1 to 65535)");
    }
    if (settings.username() == null || settings.username().isBlank()) {
      throw new FatalBmcFault(address, "has no username");
    }
    if (settings.password() == null) {
      throw new FatalBmcFault(address, "has no password");
    }
    Set<String> unknown = new TreeSet<>(settings.options().keySet());
    unknown.removeAll(optionNames());
    if (!unknown.isEmpty()) {
      throw new FatalBmcFault(address, "has options the " + name() + " driver does not know: " + unknown
          + " (known: " + new TreeSet<>(optionNames()) + ")");
    }
    validateSpecific(settings);
  }

  @Override
  public PowerState powerState(BmcSettings settings) {
    return inSession(settings, PowerSteps::read);
  }

  @Override
  public PowerResult powerOn(BmcSettings settings) {
    return inSession(settings, PowerSteps::ensureOn);
  }

  @Override
  public PowerResult powerOff(BmcSettings settings) {
    return inSession(settings, PowerSteps::ensureOff);
  }

  @Override
  public PowerResult powerCycle(BmcSettings settings) {
    return inSession(settings, PowerSteps::cycle);
  }

  @Override
  public PowerResult reset(BmcSettings settings) {
    return inSession(settings, PowerSteps::reset);
  }

  @Override
  public PowerResult softOff(BmcSettings settings) {
    return inSession(settings, PowerSteps::softOff);
  }

  private <T> T inSession(BmcSettings settings, Function<PowerSteps, T> work) {
    validate(settings);
    BmcSettings complete = settings.withDefaultPort(defaultPort());
    String address = complete.address();
    PowerSteps steps = null;
    try (BmcGate.Pass pass = gate.enter(address); BmcSession session = openSession(complete)) {
      steps = new PowerSteps(address, session, pass, properties);
      return work.apply(steps);
    } catch (TransientBmcFault fault) {
      throw steps == null || !steps.progress().any() ? fault : fault.after(steps.progress());
    }
  }
}
