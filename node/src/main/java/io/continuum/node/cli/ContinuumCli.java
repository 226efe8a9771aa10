package io.continuum.node.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/continuum}: run a local cluster or a node, and talk to a cluster's gateway. */
@Command(
    name = "continuum",
    mixinStandardHelpOptions = true,
    version = "continuum 0.1.0",
    description = "Stateful serverless computing across edge sites and the cloud.",
    subcommands = {
      DevCommand.class,
      NodeCommand.class,
      TopicCommand.class,
      ObjectCommand.class,
      PlacementCommand.class,
      FunctionCommands.Call.class,
      FunctionCommands.Send.class,
      FunctionCommands.State.class,
      StatusCommand.class
    })
public final class ContinuumCli {

  private ContinuumCli() {}

  /**
   * The command line of {@code bin/continuum}: errors a user can cause print as {@code error:
   * STATUS: message} and exit with 1.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new ContinuumCli())
        .setExecutionExceptionHandler(
            (e, commandLine, parsed) -> {
              if (e instanceof GatewayClient.CliException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
              }
              throw e;
            });
  }

  public static void main(String[] args) {
    boolean runsNode = args.length > 0 && args[0].equals("node");
    if (!runsNode && System.getProperty("CONTINUUM_LOG_LEVEL") == null) {
      System.setProperty("CONTINUUM_LOG_LEVEL", "WARN");
    }
    // Initialize logging before any thread logs, so nothing is replayed during initialization.
    LoggerFactory.getLogger(ContinuumCli.class);
    int code = commandLine().execute(args);
    if (!runsNode || code != 0) {
      System.exit(code);
    }
  }
}
