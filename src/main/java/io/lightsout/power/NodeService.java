package io.lightsout.power;

import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.SealedSecret;
import io.lightsout.security.CredentialCipher;
import io.lightsout.security.NetworkPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Nodes and their BMC settings: validated by their driver, and checked by reading the power state from the BMC
 * (unless the caller says the node is not cabled yet), before anything is stored; passwords sealed at once.
 * The BMC is read outside any transaction: no row is locked while a BMC answers.
 */
@Service
public class NodeService {

  private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** The sim driver's host is a key of an in-memory BMC, never an address that is contacted. */
  private static final String SIM_DRIVER = "sim";

  private final NodeRepository nodes;
  private final PowerRequestRepository requests;
  private final BmcDriverRegistry drivers;
  private final CredentialCipher cipher;
  private final NetworkPolicy network;
  private final Clock clock;
  private final TransactionTemplate transaction;

  NodeService(NodeRepository nodes, PowerRequestRepository requests, BmcDriverRegistry drivers,
      CredentialCipher cipher, NetworkPolicy network, Clock clock, PlatformTransactionManager transactions) {
    this.transaction = new TransactionTemplate(transactions);
    this.network = network;
    this.nodes = nodes;
    this.requests = requests;
    this.drivers = drivers;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** What a caller gives for a node; the password is plain text only until {@link #create} seals it. */
  public record NodeInput(String id, String name, String driver, String host, Integer port, String username,
                          String password, Map<String, String> options) {
    @Override
    public String toString() {
      return "NodeInput[id=" + id + ", driver=" + driver + ", host=" + host + ", port=" + port + "]";
    }
  }

  public enum Change { DONE, NOT_FOUND, BUSY, EXISTS, IN_USE }

  /** The BMC did not answer a read of its power state as it should; nothing was stored. */
  public static final class BmcCheckFailed extends RuntimeException {
    BmcCheckFailed(String reason) {
      super(reason);
    }
  }

  /**
   * Registers a node. With {@code check}, its BMC must answer a power-state read first (the state is stored as
   * observed); otherwise {@link BmcCheckFailed} carries the driver's reason. Without, the BMC is not contacted.
   */
  public Change create(NodeInput input, boolean check) {
    if (input.id() == null || !ID.matcher(input.id()).matches()) {
      throw new IllegalArgumentException("node id must match [a-z0-9][a-z0-9-]{0,62}");
    }
    if (input.password() == null || input.password().isEmpty()) {
      throw new IllegalArgumentException("bmc.password is required");
    }
    NodeRepository.NodeRecord record = validated(input, cipher.seal(input.password()));
    if (nodes.find(input.id()).isPresent()) {
      return Change.EXISTS;
    }
    Optional<PowerState> observed = check ? Optional.of(read(record)) : Optional.empty();
    return transaction.execute(status -> {
      if (nodes.find(input.id()).isPresent()) {
        return Change.EXISTS;
      }
      nodes.insert(record, clock.instant());
      observed.ifPresent(state -> nodes.recordPowerState(input.id(), state, clock.instant()));
      return Change.DONE;
    });
  }

  /**
   * Replaces a node's settings, checked at the BMC like {@link #create}. A missing password keeps the stored one.
   * Refused while the node has open requests, except on a held node, whose settings may be mended while nothing
   * runs at its BMC (the hold stays; an operator resumes).
   */
  public Change update(NodeInput input, boolean check) {
    Optional<Node> current = nodes.find(input.id());
    if (current.isEmpty()) {
      return Change.NOT_FOUND;
    }
    if (busy(current.get())) {
      return Change.BUSY;
    }
    SealedSecret password = input.password() == null || input.password().isEmpty()
        ? nodes.bmcSettings(input.id()).map(BmcSettings::password).orElse(null) : cipher.seal(input.password());
    NodeRepository.NodeRecord record = validated(input, password);
    Optional<PowerState> observed = check ? Optional.of(read(record)) : Optional.empty();
    return transaction.execute(status -> {
      Optional<Node> locked = nodes.lock(input.id());
      if (locked.isEmpty()) {
        return Change.NOT_FOUND;
      }
      if (busy(locked.get())) {
        return Change.BUSY;
      }
      nodes.update(record, clock.instant());
      observed.ifPresent(state -> nodes.recordPowerState(input.id(), state, clock.instant()));
      return Change.DONE;
    });
  }

  /** Records what a node's BMC did wrong; logged when it begins or changes, not again at every failed read. */
  public void recordBmcError(String nodeId, String message) {
    Optional<Node> node = nodes.find(nodeId);
    if (node.isEmpty()) {
      return;
    }
    Node.BmcError before = node.get().lastBmcError();
    if (before == null || !before.message().equals(message)) {
      LOG.warn("Node {}: {}", nodeId, message);
    }
    nodes.recordBmcError(nodeId, message, clock.instant());
  }

  private boolean busy(Node node) {
    if (node.held()) {
      return requests.openOf(node.id()).stream().anyMatch(r -> r.status() == RequestStatus.RUNNING);
    }
    return requests.countOpen(node.id()) > 0;
  }

  /** Reads the power state through the node's driver (and so through the BMC gate, like every BMC call). */
  private PowerState read(NodeRepository.NodeRecord node) {
    try {
      return drivers.driver(node.driver()).powerState(node.settings());
    } catch (BmcFault fault) {
      LOG.info("Node {}: BMC check failed, nothing stored: {}", node.id(), fault.getMessage());
      throw new BmcCheckFailed(fault.getMessage());
    }
  }

  @Transactional
  public Change delete(String id) {
    if (nodes.lock(id).isEmpty()) {
      return Change.NOT_FOUND;
    }
    if (requests.countOpen(id) > 0) {
      return Change.BUSY;
    }
    if (nodes.isHostNode(id)) {
      return Change.IN_USE;
    }
    nodes.delete(id);
    return Change.DONE;
  }

  public Optional<Node> find(String id) {
    return nodes.find(id);
  }

  public List<Node> page(int page, int size) {
    return nodes.page(page, size);
  }

  public long count() {
    return nodes.count();
  }

  /** Held nodes fleet-wide, longest held first. */
  public List<Node> held() {
    return nodes.held();
  }

  public int queueDepth(String id) {
    return requests.countOpen(id);
  }

  private NodeRepository.NodeRecord validated(NodeInput input, SealedSecret password) {
    if (input.driver() == null || input.host() == null) {
      throw new IllegalArgumentException("bmc.driver and bmc.host are required");
    }
    if (!SIM_DRIVER.equals(input.driver())) {
      network.refusal(input.host(), "bmc.host").ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
    }
    Map<String, String> options = input.options() == null ? Map.of() : input.options();
    NodeRepository.NodeRecord record = new NodeRepository.NodeRecord(input.id(), input.name(), input.driver(),
        input.host(), input.port(), input.username(), password, options);
    try {
      drivers.driver(input.driver()).validate(record.settings());
    } catch (FatalBmcFault fault) {
      throw new IllegalArgumentException(fault.getMessage());
    }
    return record;
  }
}
