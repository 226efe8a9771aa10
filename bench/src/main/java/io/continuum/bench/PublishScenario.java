package io.continuum.bench;

import io.continuum.bench.app.BenchApp;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Durable publish of fixed-size entries, each acknowledged only once persisted: Continuum's topic
 * (without and with a subscribed function) against RabbitMQ and NATS JetStream, same payload and
 * concurrency.
 */
@Command(
    name = "publish",
    description = "Durable publish: Continuum topics vs RabbitMQ and NATS JetStream.",
    mixinStandardHelpOptions = true)
final class PublishScenario extends ScenarioCommand {

  @Mixin LoadOptions load;

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19090", description = "edge-a gateway")
  String gateway;

  @Option(names = "--zone", defaultValue = "edge-a", description = "Home zone of the topics.")
  String zone;

  @Option(names = "--size", defaultValue = "1024", description = "Entry size in bytes.")
  int size;

  @Option(
      names = "--systems",
      split = ",",
      defaultValue = "continuum,continuum-subscribed,rabbitmq,nats",
      description = "Systems to run (default: ${DEFAULT-VALUE}).")
  List<String> systems;

  @Option(names = "--rabbitmq", defaultValue = "127.0.0.1:5672")
  String rabbitmq;

  @Option(names = "--nats", defaultValue = "nats://127.0.0.1:4222")
  String nats;

  @Override
  public Integer call() throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      for (String system : systems) {
        measureLoad(
            "publish",
            load,
            "producers",
            ", " + size + " B",
            name(system),
            !system.startsWith("continuum"),
            setting(system),
            concurrency -> open(channels, system, concurrency));
      }
    }
    return 0;
  }

  /** The system's name in the results. */
  private static String name(String system) {
    return switch (system) {
      case "continuum" -> "continuum";
      case "continuum-subscribed" -> "continuum, subscribed function";
      case "rabbitmq" -> "rabbitmq";
      case "nats" -> "nats-jetstream";
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  /** How durable an acknowledged entry of the system is. */
  private String setting(String system) {
    return switch (system) {
      case "continuum" -> journalSetting();
      case "continuum-subscribed" ->
          journalSetting()
              + "; the subscribed function bench-sink persists an event for each entry, one"
              + " instance per producer";
      case "rabbitmq" -> RabbitPublisher.SETTING;
      case "nats" -> JetStreamPublisher.SETTING;
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  private Publisher open(GrpcChannels channels, String system, int concurrency) throws Exception {
    String topic = "bench-" + concurrency + "-" + System.currentTimeMillis();
    return switch (system) {
      case "continuum" ->
          new ContinuumPublisher(channels.to(gateway), topic, zone, concurrency, size);
      case "continuum-subscribed" ->
          new ContinuumPublisher(channels.to(gateway), BenchApp.TOPIC, "edge-a", concurrency, size);
      case "rabbitmq" -> new RabbitPublisher(rabbitmq, topic, concurrency, size);
      case "nats" -> new JetStreamPublisher(nats, "BENCH" + concurrency, size);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }
}
