package io.lightsout.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;

/**
 * Who an HTTP Basic header names, checked against Camunda's identity service. A pair that passed is remembered for
 * {@code lightsout.security.verified-credentials-ttl} (default 10 s), so a client posting many requests costs one
 * password check and one group query per interval, not two queries and a hash per call. Only a salted digest of the
 * password is kept (the salt is this process's own, random); a wrong password is never remembered and always goes to
 * the identity service (and the log-in throttle). A changed password, a removed user or a changed group membership
 * therefore takes effect within that interval; 0 turns the memory off.
 */
final class VerifiedCallers {

  private static final int MAX_ENTRIES = 10_000;

  private final IdentityService identity;
  private final long ttlNanos;
  private final byte[] salt = new byte[32];
  private final ConcurrentMap<String, Verified> verified = new ConcurrentHashMap<>();

  VerifiedCallers(IdentityService identity, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("lightsout.security.verified-credentials-ttl must not be negative");
    }
    this.identity = identity;
    this.ttlNanos = ttl.toNanos();
    new SecureRandom().nextBytes(salt);
  }

  /** The caller these credentials prove, or empty when the identity service rejects them. */
  Optional<Caller> verify(BasicCredentials credentials) {
    byte[] digest = digest(credentials);
    long now = System.nanoTime();
    Verified known = verified.get(credentials.userId());
    if (known != null && now - known.sinceNanos() < ttlNanos && MessageDigest.isEqual(known.digest(), digest)) {
      return Optional.of(known.caller());
    }
    if (!identity.checkPassword(credentials.userId(), credentials.password())) {
      verified.remove(credentials.userId());
      return Optional.empty();
    }
    Caller caller = new Caller(credentials.userId(), groupsOf(credentials.userId()));
    if (ttlNanos > 0) {
      if (verified.size() >= MAX_ENTRIES) {
        verified.clear();
      }
      verified.put(credentials.userId(), new Verified(digest, caller, now));
    }
    return Optional.of(caller);
  }

  /** The caller of a webapp session (already logged in there); groups are read afresh. */
  Caller ofSessionUser(String userId) {
    return new Caller(userId, groupsOf(userId));
  }

  private List<String> groupsOf(String userId) {
    return identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
  }

  private byte[] digest(BasicCredentials credentials) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(credentials.userId().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(credentials.password().getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private record Verified(byte[] digest, Caller caller, long sinceNanos) {}
}
