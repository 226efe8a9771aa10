package io.continuum.node.cli;

import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum placement ...}: where topics, function types, instances and objects live and
 * why, and moving function types and instances at runtime.
 */
@Command(
    name = "placement",
    description = "Show where things live and why; move function types and instances.",
    mixinStandardHelpOptions = true,
    subcommands = {PlacementCommand.Set.class, PlacementCommand.Show.class})
final class PlacementCommand {

  private PlacementCommand() {}

  @Command(
      name = "show",
      description =
          "For each thing (or KIND NAME: topic, function, instance TYPE/ID, object): its zone, node"
              + " and why.",
      mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "KIND", arity = "0..1")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", arity = "0..1")
    String name;

    @Override
    public Integer call() {
      ShowPlacementRequest.Builder request = ShowPlacementRequest.newBuilder();
      if (kind != null && name == null) {
        throw new GatewayClient.CliException(
            "give the NAME of the " + kind + " too, e.g. 'placement show function smooth'");
      }
      if (kind != null) {
        request.setKind(kind).setName(name);
      }
      try (GatewayClient client = gateway.connect()) {
        for (PlacementInfo placement :
            client.placement().show(request.build()).getPlacementsList()) {
          System.out.println(describe(placement));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "set",
      description =
          "Override the placement of a topic, a function type or an instance (TYPE/ID), or the"
              + " routing of an object; calls follow at once, and topics and instances move with"
              + " their history.",
      mixinStandardHelpOptions = true)
  static final class Set implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(
        index = "0",
        paramLabel = "KIND",
        description = "topic, function, instance or object")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--zone", description = "The new home zone.")
    String zone;

    @Option(names = "--allowed", split = ",", description = "The zones it may run in.")
    List<String> allowed;

    @Option(names = "--replicas", description = "Zones holding replicas (objects).")
    Integer replicas;

    @Option(names = "--routing", description = "round_robin, least_conn, random or nearest.")
    String routing;

    @Option(names = "--reset", description = "Remove the override: the declaration decides.")
    boolean reset;

    @Override
    public Integer call() {
      SetPlacementRequest.Builder request =
          SetPlacementRequest.newBuilder().setKind(kind).setName(name).setReset(reset);
      if (zone != null) {
        request.setZone(zone);
      }
      if (allowed != null) {
        request.addAllAllowedZones(allowed);
      }
      if (replicas != null) {
        request.setReplicas(replicas);
      }
      if (routing != null) {
        request.setRouting(routing);
      }
      try (GatewayClient client = gateway.connect()) {
        System.out.println(describe(client.placement().set(request.build())));
        return 0;
      }
    }
  }

  /**
   * One line per thing, e.g. {@code function smooth: zone edge-a (dsl: zone of topic cpu-raw),
   * allowed edge-a (the home zone), routing round_robin (default)}.
   */
  static String describe(PlacementInfo p) {
    Map<String, String> sources = new TreeMap<>(p.getSourcesMap());
    StringBuilder line =
        new StringBuilder()
            .append(p.getKind())
            .append(' ')
            .append(p.getName())
            .append(": zone ")
            .append(p.getZone())
            .append(" (")
            .append(sources.getOrDefault("zone", "?"))
            .append("), allowed ")
            .append(String.join(",", p.getAllowedZonesList()))
            .append(" (")
            .append(sources.getOrDefault("allowed", "?"))
            .append(")");
    if (p.getKind().equals("object")) {
      line.append(", replicas ").append(p.getReplicas());
    }
    line.append(", routing ")
        .append(p.getRouting())
        .append(" (")
        .append(sources.getOrDefault("routing", "?"))
        .append(")");
    if (!p.getNode().isEmpty()) {
      line.append("; on ").append(p.getNode());
      if (!p.getNodeZone().equals(p.getZone())) {
        line.append(" in fallback zone ").append(p.getNodeZone());
      }
    }
    return line.toString();
  }
}
