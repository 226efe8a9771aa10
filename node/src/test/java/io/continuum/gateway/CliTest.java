package io.continuum.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.node.cli.ContinuumCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code bin/continuum}'s client commands against a real node: output, errors and exit codes. */
class CliTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  private record Run(int exit, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = ContinuumCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      String[] withGateway = new String[args.length + 2];
      System.arraycopy(args, 0, withGateway, 0, args.length);
      withGateway[args.length] = "--gateway";
      withGateway[args.length + 1] = "127.0.0.1:" + node.gatewayPort();
      int exit = cli.execute(withGateway);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void topicCommandsCreatePublishAndReadBack() {
    Run created =
        run(
            "topic",
            "create",
            "cli-topic",
            "--zone",
            GatewayNode.ZONE,
            "--history",
            "50",
            "--duplicate-window",
            "5m");
    assertThat(created.exit()).isZero();
    assertThat(created.out())
        .isEqualTo(
            "created topic cli-topic in zone "
                + GatewayNode.ZONE
                + " (history 50 entries, max entry 65536 bytes, duplicate window 5m)\n");

    assertThat(run("topic", "publish", "cli-topic", "hello").out().trim()).isEqualTo("1");
    assertThat(run("topic", "publish", "cli-topic", "again", "--producer", "p", "--seq", "1").out())
        .isEqualTo("2\n");
    assertThat(run("topic", "publish", "cli-topic", "again", "--producer", "p", "--seq", "1").out())
        .isEqualTo("2 (duplicate)\n");

    assertThat(run("topic", "get", "cli-topic", "1").out()).isEqualTo("hello\n");
    assertThat(run("topic", "read", "cli-topic", "1").out()).isEqualTo("1\thello\n2\tagain\n");
    assertThat(run("topic", "latest", "cli-topic").out()).isEqualTo("2\tagain\n");
    assertThat(run("topic", "describe", "cli-topic").out())
        .contains("  dedup    5m (a repeated producer sequence number within it returns")
        .contains("range    1..2");
  }

  @Test
  void aDuplicateWindowThatIsNoDurationIsRefusedBeforeCallingTheGateway() {
    Run invalid = run("topic", "create", "cli-bad-window", "--duplicate-window", "5 minutes");

    assertThat(invalid.exit()).isNotZero();
    assertThat(invalid.err())
        .contains("invalid duration '5 minutes': use a whole number and ms, s, m or h, e.g. 5m");
    assertThat(run("topic", "describe", "cli-bad-window").err()).contains("NOT_FOUND");
  }

  @Test
  void errorsPrintTheirStatusAndExitWithOne() {
    Run missing = run("topic", "get", "cli-no-such-topic", "1");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .startsWith("error: NOT_FOUND: topic 'cli-no-such-topic' does not exist");

    Run badIndex = run("topic", "read", "cli-no-such-topic", "0");
    assertThat(badIndex.exit()).isEqualTo(1);
    assertThat(badIndex.err()).startsWith("error: INVALID_ARGUMENT");
  }

  @Test
  void functionCommandsCallSendAndShowState() {
    Run call = run("call", NotebookApp.TYPE, "cli-1", "{\"text\":\"first\"}");
    assertThat(call.exit()).isZero();
    assertThat(call.out()).isEqualTo("{\"lines\":[\"first\"]}\n");

    Run send = run("send", NotebookApp.TYPE, "cli-1", "{\"text\":\"second\"}");
    assertThat(send.exit()).isZero();
    assertThat(send.out().trim()).isNotEmpty();

    assertThat(run("state", NotebookApp.TYPE, "cli-1").out())
        .isEqualTo("{\"lines\":[\"first\",\"second\"]}\n");

    Run unknown = run("call", "no-such-function", "x", "{}");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("error: NOT_FOUND: no function type 'no-such-function'");
  }

  @Test
  void placementShowsWhyAndMovesAnInstance() {
    assertThat(run("placement", "show", "function", NotebookApp.TYPE).out())
        .isEqualTo(
            "function notebook: zone edge-a (dsl: zone), allowed edge-a (the home zone), routing"
                + " round_robin (default)\n");

    Run moved =
        run("placement", "set", "instance", NotebookApp.TYPE + "/cli-move", "--zone", "cloud");
    assertThat(moved.exit()).isZero();
    assertThat(moved.out())
        .startsWith("instance notebook/cli-move: zone cloud (runtime: instance override)");
    assertThat(run("placement", "show", "instance", NotebookApp.TYPE + "/cli-move").out())
        .contains("; on " + node.address() + " in fallback zone edge-a");

    Run unknownZone = run("placement", "set", "function", NotebookApp.TYPE, "--zone", "moon");
    assertThat(unknownZone.exit()).isEqualTo(1);
    assertThat(unknownZone.err()).startsWith("error: INVALID_ARGUMENT: unknown zone 'moon'");

    Run noName = run("placement", "show", "function");
    assertThat(noName.exit()).isNotZero();
    assertThat(noName.err()).contains("give the NAME of the function too");
  }

  @Test
  void statusListsTheNodeUnderItsZone() {
    Run status = run("status");
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .contains(GatewayNode.ZONE + " (")
        .contains("up")
        .contains("gateway 127.0.0.1:" + node.gatewayPort());
  }
}
