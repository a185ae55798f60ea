package io.lightsout.bmc.ipmi;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.TreeMap;
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * The RMCP+ cipher suites this driver can configure (IPMI 2.0 table 22-20), by id. Suites are configured, not
 * discovered: some BMCs (ipmi_sim among them) never answer the cipher-suite query. Suite 0 (no authentication) is
 * refused. Each session gets a new {@link CipherSuite} object: the library keeps per-session MAC state in it.
 */
final class CipherSuites {

  static final int DEFAULT = 3;

  private static final byte RAKP_HMAC_SHA1 = 1;
  private static final byte RAKP_HMAC_MD5 = 2;
  private static final byte RAKP_HMAC_SHA256 = 3;
  private static final byte NONE = 0;
  private static final byte HMAC_SHA1_96 = 1;
  private static final byte HMAC_MD5_128 = 2;
  private static final byte MD5_128 = 3;
  private static final byte HMAC_SHA256_128 = 4;
  private static final byte AES_CBC_128 = 1;

  /** id → {authentication, integrity, confidentiality}. */
  private static final Map<Integer, byte[]> SUITES = new TreeMap<>(Map.ofEntries(
      Map.entry(1, new byte[] {RAKP_HMAC_SHA1, NONE, NONE}),
      Map.entry(2, new byte[] {RAKP_HMAC_SHA1, HMAC_SHA1_96, NONE}),
      Map.entry(3, new byte[] {RAKP_HMAC_SHA1, HMAC_SHA1_96, AES_CBC_128}),
      Map.entry(6, new byte[] {RAKP_HMAC_MD5, NONE, NONE}),
      Map.entry(7, new byte[] {RAKP_HMAC_MD5, HMAC_MD5_128, NONE}),
      Map.entry(8, new byte[] {RAKP_HMAC_MD5, HMAC_MD5_128, AES_CBC_128}),
      Map.entry(11, new byte[] {RAKP_HMAC_MD5, MD5_128, NONE}),
      Map.entry(12, new byte[] {RAKP_HMAC_MD5, MD5_128, AES_CBC_128}),
      Map.entry(15, new byte[] {RAKP_HMAC_SHA256, NONE, NONE}),
      Map.entry(16, new byte[] {RAKP_HMAC_SHA256, HMAC_SHA256_128, NONE}),
      Map.entry(17, new byte[] {RAKP_HMAC_SHA256, HMAC_SHA256_128, AES_CBC_128})));

  private CipherSuites() {
  }

  static boolean supported(int id) {
    return SUITES.containsKey(id);
  }

  static String supportedIds() {
    return SUITES.keySet().toString();
  }

  /**
   * Runs every algorithm of the default suite once, on dummy data, in this thread. The library's session
   * integrity defect strikes mostly on the first session of a JVM, while its algorithm classes and JCE providers
   * are still loading; loading them here first narrows that window.
   */
  static void warmUp() {
    try {
      CipherSuite suite = create(DEFAULT);
      byte[] dummy = new byte[20];
      byte[] code = suite.getAuthenticationAlgorithm().getKeyExchangeAuthenticationCode(dummy, "warm-up");
      suite.getAuthenticationAlgorithm().doIntegrityCheck(dummy, dummy, code);
      suite.initializeAlgorithms(dummy);
      suite.getIntegrityAlgorithm().generateAuthCode(dummy);
      suite.getConfidentialityAlgorithm().decrypt(suite.getConfidentialityAlgorithm().encrypt(new byte[16]));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("the IPMI cipher suite " + DEFAULT + " does not work in this JVM: " + e, e);
    }
  }

  static CipherSuite create(int id) {
    byte[] algorithms = SUITES.get(id);
    if (algorithms == null) {
      throw new IllegalArgumentException("unsupported cipher suite " + id);
    }
    // The library's constructor takes (id, authentication, confidentiality, integrity).
    return new CipherSuite((byte) id, algorithms[0], algorithms[2], algorithms[1]);
  }
}
