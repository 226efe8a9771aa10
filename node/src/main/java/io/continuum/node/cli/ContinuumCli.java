package io.continuum.node.cli;

import io.grpc.StatusRuntimeException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/** {@code bin/continuum}: run a local cluster or a node, and talk to a cluster's gateway. */
@Command(
    name = "continuum",
    mixinStandardHelpOptions = true,
    version = "continuum 0.1.0",
    description = "Stateful serverless computing across edge sites and the cloud.")
public final class ContinuumCli {

  /** The subcommands by name, in the order {@code --help} lists them. */
  static final Map<String, Class<?>> COMMANDS = commands();

  private ContinuumCli() {}

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("dev", DevCommand.class);
    commands.put("node", NodeCommand.class);
    commands.put("topic", TopicCommand.class);
    commands.put("object", ObjectCommand.class);
    commands.put("placement", PlacementCommand.class);
    commands.put("call", FunctionCommands.Call.class);
    commands.put("send", FunctionCommands.Send.class);
    commands.put("state", FunctionCommands.State.class);
    commands.put("status", StatusCommand.class);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * The command line of {@code bin/continuum}: errors a user can cause print as {@code error:
   * STATUS: message} and exit with 1, failed gRPC calls too.
   */
  public static CommandLine commandLine() {
    return commandLine(COMMANDS.keySet());
  }

  /**
   * The command line for these arguments: when the first names a subcommand, only that one, since
   * picocli takes a while to read each command's annotations; else all of them (for the help, and
   * for the errors that suggest a command).
   */
  static CommandLine commandLineFor(String... args) {
    if (args.length > 0 && COMMANDS.containsKey(args[0])) {
      return commandLine(List.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine commandLine(Collection<String> subcommands) {
    CommandLine commandLine = new CommandLine(new ContinuumCli());
    for (String name : subcommands) {
      commandLine.addSubcommand(name, COMMANDS.get(name));
    }
    return commandLine.setExecutionExceptionHandler(ContinuumCli::handle);
  }

  private static int handle(Exception e, CommandLine commandLine, ParseResult parsed)
      throws Exception {
    if (e instanceof StatusRuntimeException) {
      e = GatewayClient.CliException.of(e);
    }
    if (e instanceof GatewayClient.CliException) {
      commandLine.getErr().println("error: " + e.getMessage());
      return 1;
    }
    throw e;
  }

  public static void main(String[] args) {
    String command = args.length > 0 ? args[0] : "";
    boolean runsNode = command.equals("node");
    if (runsNode || command.equals("dev")) {
      if (!runsNode && System.getProperty("CONTINUUM_LOG_LEVEL") == null) {
        System.setProperty("CONTINUUM_LOG_LEVEL", "WARN");
      }
      // Initialize logging before any thread logs, so nothing is replayed during initialization.
      LoggerFactory.getLogger(ContinuumCli.class);
    } else {
      quietClientLogging();
    }
    int code = commandLineFor(args).execute(args);
    if (!runsNode || code != 0) {
      System.exit(code);
    }
  }

  /**
   * Client commands leave SLF4J and logback alone (initializing logback takes longer than a call),
   * and the JDK logging of grpc-java says only what is severe: a failed call prints as {@code
   * error: STATUS: message} already.
   */
  static void quietClientLogging() {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
  }
}
