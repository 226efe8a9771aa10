package io.continuum.node.cli;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.CreateTopicResponse;
import io.continuum.gateway.v1.DescribeTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.GetEntryRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.LatestResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.ReadResponse;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum topic ...}: create, publish to, read and tail topics. Each subcommand is a class
 * with annotated fields: picocli reads the annotations of method parameters again for every lookup,
 * which made building the command line take hundreds of milliseconds.
 */
@Command(
    name = "topic",
    description = "Create, publish to, read and tail topics.",
    mixinStandardHelpOptions = true,
    subcommands = {
      TopicCommand.Create.class,
      TopicCommand.Describe.class,
      TopicCommand.Get.class,
      TopicCommand.Latest.class,
      TopicCommand.Publish.class,
      TopicCommand.Read.class,
      TopicCommand.Tail.class
    })
final class TopicCommand {

  private TopicCommand() {}

  @Command(
      name = "create",
      description = "Create a topic (a no-op when it exists with the same options).",
      mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--zone", description = "Home zone (default: the gateway's zone).")
    String zone;

    @Option(
        names = "--history",
        description = "Newest entries retained (default: cluster default).")
    Long history;

    @Option(
        names = "--max-bytes",
        description = "Largest entry in bytes (default: cluster default).")
    Integer maxBytes;

    @Option(
        names = "--duplicate-window",
        paramLabel = "DURATION",
        converter = DurationOption.class,
        description =
            "How long a repeated --producer/--seq publish returns its original index, e.g. 5m,"
                + " 90s, 1h (default: cluster default, 2m unless configured).")
    Duration duplicateWindow;

    @Override
    public Integer call() {
      CreateTopicRequest.Builder request = CreateTopicRequest.newBuilder().setName(name);
      if (zone != null) {
        request.setHomeZone(zone);
      }
      if (history != null) {
        request.setHistoryLength(history);
      }
      if (maxBytes != null) {
        request.setMaxEntryBytes(maxBytes);
      }
      if (duplicateWindow != null) {
        request.setDuplicateWindowMs(duplicateWindow.toMillis());
      }
      try (GatewayClient client = gateway.connect()) {
        CreateTopicResponse response = client.topics().create(request.build());
        TopicInfo topic = response.getTopic();
        System.out.printf(
            "%s topic %s in zone %s (history %d entries, max entry %d bytes, duplicate window"
                + " %s)%n",
            response.getCreated() ? "created" : "exists:",
            topic.getName(),
            topic.getHomeZone(),
            topic.getHistoryLength(),
            topic.getMaxEntryBytes(),
            DurationOption.text(topic.getDuplicateWindowMs()));
        return 0;
      }
    }
  }

  @Command(
      name = "publish",
      description = "Publish DATA (or stdin when DATA is -); prints the index.",
      mixinStandardHelpOptions = true)
  static final class Publish implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "DATA")
    String data;

    @Option(names = "--producer", description = "Idempotent producer id.")
    String producer;

    @Option(
        names = "--seq",
        description =
            "The producer's sequence number, from 1, increasing: a repeat within the topic's"
                + " duplicate window prints the original index and \"(duplicate)\".")
    Long seq;

    @Override
    public Integer call() throws IOException {
      byte[] payload =
          "-".equals(data) ? System.in.readAllBytes() : data.getBytes(StandardCharsets.UTF_8);
      PublishRequest.Builder request =
          PublishRequest.newBuilder().setTopic(name).setPayload(ByteString.copyFrom(payload));
      if (producer != null) {
        request.setProducerId(producer).setProducerSeq(seq == null ? 1 : seq);
      }
      try (GatewayClient client = gateway.connect()) {
        PublishResponse response = client.topics().publish(request.build());
        System.out.println(response.getIndex() + (response.getDuplicate() ? " (duplicate)" : ""));
        return 0;
      }
    }
  }

  @Command(name = "get", description = "Print the entry at INDEX.", mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "INDEX")
    long index;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connect()) {
        Entry entry =
            client
                .topics()
                .get(GetEntryRequest.newBuilder().setTopic(name).setIndex(index).build());
        System.out.println(Payloads.text(entry.getPayload()));
        return 0;
      }
    }
  }

  @Command(
      name = "latest",
      description = "Print the newest index and entry.",
      mixinStandardHelpOptions = true)
  static final class Latest implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connect()) {
        LatestResponse response =
            client.topics().latest(LatestRequest.newBuilder().setTopic(name).build());
        if (response.hasEntry()) {
          System.out.println(Payloads.line(response.getEntry()));
        } else {
          System.out.println("0\t(topic " + name + " is empty)");
        }
        return 0;
      }
    }
  }

  @Command(
      name = "read",
      description = "Print entries from FROM, one per line: index, tab, payload.",
      mixinStandardHelpOptions = true)
  static final class Read implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "FROM")
    long from;

    @Option(
        names = "--max",
        defaultValue = "100",
        description = "At most this many (default ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connect()) {
        ReadResponse response =
            client
                .topics()
                .read(
                    ReadRequest.newBuilder().setTopic(name).setFromIndex(from).setMax(max).build());
        for (Entry entry : response.getEntriesList()) {
          System.out.println(Payloads.line(entry));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "tail",
      description = "Print entries as they are published, until interrupted.",
      mixinStandardHelpOptions = true)
  static final class Tail implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--from",
        defaultValue = "0",
        description = "First index (default: the oldest retained).")
    long from;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connectForStream()) {
        Iterator<Entry> entries =
            client
                .topics()
                .subscribe(SubscribeRequest.newBuilder().setTopic(name).setFromIndex(from).build());
        while (entries.hasNext()) {
          System.out.println(Payloads.line(entries.next()));
          System.out.flush();
        }
        return 0;
      }
    }
  }

  @Command(
      name = "describe",
      description = "Print a topic's options and retained range.",
      mixinStandardHelpOptions = true)
  static final class Describe implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connect()) {
        TopicInfo topic =
            client.topics().describe(DescribeTopicRequest.newBuilder().setTopic(name).build());
        System.out.printf(
            "topic %s%n  zone     %s%n  history  %d entries%n  max      %d bytes per entry%n"
                + "  dedup    %s (a repeated producer sequence number within it returns its"
                + " original index)%n"
                + "  range    %d..%d%n",
            topic.getName(),
            topic.getHomeZone(),
            topic.getHistoryLength(),
            topic.getMaxEntryBytes(),
            DurationOption.text(topic.getDuplicateWindowMs()),
            topic.getFirstIndex(),
            topic.getLatestIndex());
        return 0;
      }
    }
  }
}
