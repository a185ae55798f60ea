package io.lightsout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lightsout.power.HoldView;
import io.lightsout.power.Node;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/** JSON bodies of {@code /api/v1/nodes}. The BMC password goes in, never out. */
final class NodeBodies {

  private NodeBodies() {}

  record BmcInput(
      @NotBlank @Size(max = 32) String driver,
      @NotBlank @Size(max = 255) String host,
      @Min(1) @Max(65535) Integer port,
      @Size(max = 128) String username,
      @Size(max = 256) String password,
      @Size(max = 32) Map<@NotBlank @Size(max = 64) String, @NotNull @Size(max = 3000) String> options) { // 3000: a CA certificate (PEM)
    @Override
    public String toString() {
      return "BmcInput[driver=" + driver + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
  }

  record NodeInput(
      @Size(max = 63) String id,
      @Size(max = 200) String name,
      @NotNull @Valid BmcInput bmc) {}

  record BmcView(String driver, String host, Integer port, String username, Map<String, String> options) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record NodeView(String id, String name, BmcView bmc, String powerState, Instant powerObservedAt, int queueDepth,
                  HoldView hold, Node.BmcError lastBmcError) {
    static NodeView of(Node node, int queueDepth) {
      return new NodeView(node.id(), node.name(), new BmcView(node.bmcDriver(), node.bmcHost(), node.bmcPort(),
          node.bmcUsername(), node.bmcOptions()), node.powerState().wireName(), node.powerObservedAt(), queueDepth,
          HoldView.of(node.hold()), node.lastBmcError());
    }
  }

  record PowerRequestInput(
      @NotBlank @Size(max = 16) String action,
      @Size(max = 1000) String reason,
      @Size(max = 2000) String callbackUrl,
      @Size(max = 16) String ifBusy) {}

  record HoldInput(@Size(max = 1000) String reason) {}
}
