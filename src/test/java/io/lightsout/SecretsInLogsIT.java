package io.lightsout;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.security.HostileInputTest;
import io.lightsout.security.LoginLockoutTest;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After the unit and integration suite ran (failsafe runs after surefire): no secret the suite used
 * (BMC passwords, users' passwords) appears in anything the application logged during it.
 */
class SecretsInLogsIT {

  @Test
  void noSecretOfTheSuiteAppearsInItsLogs() throws IOException {
    Path reports = Path.of("target", "surefire-reports");
    assertThat(reports).isDirectory();
    List<Path> logs;
    try (Stream<Path> files = Files.list(reports)) {
      logs = files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList();
    }
    assertThat(logs).as("captured logs of the application tests").isNotEmpty();
    List<String> secrets = List.of(BmcSimulatorFleet.DEFAULT_PASSWORD, PostgresIntegrationTest.ADMIN_PASSWORD,
        TestUsers.passwordOf("vera"), TestUsers.passwordOf("otto"), TestUsers.passwordOf("wendy"),
        // the security suite's: BMC passwords of the hostile corpus, wrong and reset passwords of the lock-out test
        HostileInputTest.BMC_PASSWORD, LoginLockoutTest.WRONG, LoginLockoutTest.RESET_PASSWORD,
        TestUsers.passwordOf("lena"), TestUsers.passwordOf("lars"));
    List<String> leaks = new ArrayList<>();
    long scanned = 0;
    for (Path log : logs) {
      String text = Files.readString(log);
      scanned += text.length();
      secrets.stream().filter(text::contains).forEach(secret -> leaks.add(log.getFileName() + " shows a secret of "
          + secret.length() + " characters"));
    }
    assertThat(scanned).as("bytes of log scanned").isGreaterThan(10_000);
    assertThat(leaks).isEmpty();
  }
}
