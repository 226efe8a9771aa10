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
    try (BenchClients clients = new BenchClients()) {
      for (int concurrency : load.concurrency) {
        for (String system : systems) {
          try (Publisher publisher = open(clients, system, concurrency)) {
            LoadGenerator.Result result =
                LoadGenerator.run("publish " + system, load.plan(concurrency), publisher);
            record(
                "publish",
                load.caseName(concurrency, "producers") + ", " + size + " B",
                publisher.system(),
                !publisher.system().startsWith("continuum"),
                publisher.setting(),
                result);
          }
        }
      }
    }
    return 0;
  }

  private Publisher open(BenchClients clients, String system, int concurrency) throws Exception {
    String name = "bench-" + concurrency + "-" + System.currentTimeMillis();
    String setting = journalSetting();
    return switch (system) {
      case "continuum" ->
          new ContinuumPublisher(
              clients, gateway, name, zone, concurrency, size, "continuum", setting);
      case "continuum-subscribed" ->
          new ContinuumPublisher(
              clients,
              gateway,
              BenchApp.TOPIC,
              "edge-a",
              concurrency,
              size,
              "continuum, subscribed function",
              setting
                  + "; the subscribed function bench-sink persists an event for each entry, one"
                  + " instance per producer");
      case "rabbitmq" -> new RabbitPublisher(rabbitmq, name, concurrency, size);
      case "nats" -> new JetStreamPublisher(nats, "BENCH" + concurrency, size);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }
}
