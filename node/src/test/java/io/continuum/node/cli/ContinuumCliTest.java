package io.continuum.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line without a cluster: which subcommands it builds, its help and its errors. */
class ContinuumCliTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ContinuumCli.commandLineFor(args)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everySubcommandIsRegisteredUnderTheNameOfItsCommand() {
    for (Map.Entry<String, Class<?>> command : ContinuumCli.COMMANDS.entrySet()) {
      assertThat(command.getValue().getAnnotation(Command.class).name())
          .isEqualTo(command.getKey());
    }
  }

  @Test
  void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
    assertThat(ContinuumCli.commandLineFor("topic", "publish", "t", "x").getSubcommands())
        .containsOnlyKeys("topic");
    assertThat(ContinuumCli.commandLineFor("status").getSubcommands()).containsOnlyKeys("status");
  }

  @Test
  void theHelpAndUnknownCommandsSeeEverySubcommandInOrder() {
    for (String[] args :
        new String[][] {{}, {"--help"}, {"-V"}, {"tpic", "publish"}, {"--gateway", "x:1"}}) {
      CommandLine commandLine = ContinuumCli.commandLineFor(args);
      assertThat(commandLine.getSubcommands().keySet())
          .containsExactlyElementsOf(ContinuumCli.COMMANDS.keySet());
    }
    assertThat(ContinuumCli.commandLine().getSubcommands().keySet())
        .containsExactlyElementsOf(ContinuumCli.COMMANDS.keySet());

    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .containsSubsequence(
            "  dev ",
            "  node ",
            "  topic ",
            "  object ",
            "  placement ",
            "  call ",
            "  send ",
            "  state ",
            "  status ");

    Run typo = run("tpic");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean: continuum topic?");
  }

  @Test
  void everyClientCommandHasItsOwnHelp() {
    for (String[] args :
        new String[][] {
          {"topic", "publish"},
          {"topic", "tail"},
          {"object", "update"},
          {"placement", "set"},
          {"call"},
          {"status"}
        }) {
      String[] withHelp = java.util.Arrays.copyOf(args, args.length + 1);
      withHelp[args.length] = "--help";
      Run help = run(withHelp);
      assertThat(help.exit()).as(String.join(" ", withHelp)).isZero();
      assertThat(help.out())
          .startsWith("Usage: continuum " + String.join(" ", args))
          .contains("--gateway=HOST:PORT")
          .contains("--timeout=SECONDS");
    }
  }

  @Test
  void aGatewayThatDoesNotAnswerIsReportedWithAHint() throws IOException {
    Run status = run("status", "--gateway", "127.0.0.1:" + closedPort(), "--timeout", "10");
    assertThat(status.exit()).isEqualTo(1);
    assertThat(status.out()).isEmpty();
    assertThat(status.err())
        .isEqualTo(
            "error: UNAVAILABLE: no gateway answers; is the cluster running (bin/continuum dev)?"
                + " use --gateway host:port to pick another"
                + System.lineSeparator());
  }

  @Test
  void aGatewayWithoutPortIsAnError() {
    Run run = run("topic", "get", "t", "1", "--gateway", "localhost");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: invalid gateway 'localhost': expected host:port");

    Run badPort = run("topic", "get", "t", "1", "--gateway", "localhost:x");
    assertThat(badPort.exit()).isEqualTo(1);
    assertThat(badPort.err()).startsWith("error: invalid gateway port in 'localhost:x'");
  }

  @Test
  void theTrainingRunOfTheArchiveRunsEveryCommandAsExpected() throws Exception {
    assertThat(CliTrainingRun.run()).isEmpty();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
