package io.lightsout.power;

import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.SealedSecret;
import io.lightsout.security.CredentialCipher;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Nodes and their BMC settings: validated by their driver before anything is queued; passwords sealed at once. */
@Service
public class NodeService {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final NodeRepository nodes;
  private final PowerRequestRepository requests;
  private final BmcDriverRegistry drivers;
  private final CredentialCipher cipher;
  private final Clock clock;

  NodeService(NodeRepository nodes, PowerRequestRepository requests, BmcDriverRegistry drivers,
      CredentialCipher cipher, Clock clock) {
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

  public enum Change { DONE, NOT_FOUND, BUSY, EXISTS }

  @Transactional
  public Change create(NodeInput input) {
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
    nodes.insert(record, clock.instant());
    return Change.DONE;
  }

  /** Replaces a node's settings; refused while it has open requests. A missing password keeps the stored one. */
  @Transactional
  public Change update(NodeInput input) {
    if (nodes.lock(input.id()).isEmpty()) {
      return Change.NOT_FOUND;
    }
    if (requests.countOpen(input.id()) > 0) {
      return Change.BUSY;
    }
    SealedSecret password = input.password() == null || input.password().isEmpty()
        ? nodes.bmcSettings(input.id()).map(BmcSettings::password).orElse(null) : cipher.seal(input.password());
    nodes.update(validated(input, password), clock.instant());
    return Change.DONE;
  }

  @Transactional
  public Change delete(String id) {
    if (nodes.lock(id).isEmpty()) {
      return Change.NOT_FOUND;
    }
    if (requests.countOpen(id) > 0) {
      return Change.BUSY;
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
    Map<String, String> options = input.options() == null ? Map.of() : input.options();
    BmcSettings settings = new BmcSettings(input.driver(), input.host(), input.port(), input.username(), password, options);
    try {
      drivers.driver(input.driver()).validate(settings);
    } catch (FatalBmcFault fault) {
      throw new IllegalArgumentException(fault.getMessage());
    }
    return new NodeRepository.NodeRecord(input.id(), input.name(), input.driver(), input.host(), input.port(),
        input.username(), password, options);
  }
}
