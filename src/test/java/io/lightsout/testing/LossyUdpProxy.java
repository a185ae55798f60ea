package io.lightsout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay between one IPMI client and one BMC that loses the BMC's first answers inside an RMCP+ session, as a
 * busy network or a lossy client library would. Everything before the session (RAKP and the like) passes, so the
 * loss hits the first message of the session: raising its privilege.
 */
public final class LossyUdpProxy implements AutoCloseable {

  private static final int RMCP_PLUS = 0x06;
  private static final int IPMI_PAYLOAD = 0x00;

  private final DatagramSocket front;
  private final DatagramSocket back;
  private final SocketAddress bmc;
  private final AtomicInteger toLose;
  private final AtomicInteger lost = new AtomicInteger();
  private volatile SocketAddress client;

  private LossyUdpProxy(String host, int bmcPort, int answersToLose) {
    try {
      InetAddress address = InetAddress.getByName(host);
      this.front = new DatagramSocket(new InetSocketAddress(address, 0));
      this.back = new DatagramSocket(new InetSocketAddress(address, 0));
      this.bmc = new InetSocketAddress(address, bmcPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.toLose = new AtomicInteger(answersToLose);
  }

  /** Relays to the BMC at {@code host:bmcPort}, losing its first {@code answersToLose} in-session answers. */
  public static LossyUdpProxy start(String host, int bmcPort, int answersToLose) {
    LossyUdpProxy proxy = new LossyUdpProxy(host, bmcPort, answersToLose);
    proxy.relay("udp-proxy-to-bmc", proxy.front, packet -> {
      proxy.client = packet.getSocketAddress();
      return proxy.bmc;
    });
    proxy.relay("udp-proxy-to-client", proxy.back, packet -> proxy.losesThis(packet) ? null : proxy.client);
    return proxy;
  }

  /** The port clients should send to. */
  public int port() {
    return front.getLocalPort();
  }

  /** Answers of the BMC that never reached the client. */
  public int lost() {
    return lost.get();
  }

  private boolean losesThis(DatagramPacket packet) {
    byte[] data = packet.getData();
    int offset = packet.getOffset();
    if (packet.getLength() < 10 || (data[offset + 4] & 0xFF) != RMCP_PLUS
        || (data[offset + 5] & 0x3F) != IPMI_PAYLOAD) {
      return false;
    }
    boolean inSession = (data[offset + 6] | data[offset + 7] | data[offset + 8] | data[offset + 9]) != 0;
    if (inSession && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      lost.incrementAndGet();
      return true;
    }
    return false;
  }

  private interface Route {
    SocketAddress to(DatagramPacket packet);
  }

  private void relay(String name, DatagramSocket from, Route route) {
    DatagramSocket to = from == front ? back : front;
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[2048];
      while (!from.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          from.receive(packet);
          SocketAddress target = route.to(packet);
          if (target != null) {
            to.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), target));
          }
        } catch (SocketException closed) {
          return;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    front.close();
    back.close();
  }
}
