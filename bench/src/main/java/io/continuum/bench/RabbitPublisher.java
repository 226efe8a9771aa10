package io.continuum.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publishes persistent messages to a durable RabbitMQ queue with publisher confirms: one channel
 * per slot, each publish completes on its confirm.
 */
final class RabbitPublisher implements Publisher {

  /** How durable an acknowledged publish is. */
  static final String SETTING =
      "RabbitMQ durable classic queue, persistent messages, publisher confirms: a message is"
          + " confirmed once it is written and fsynced to disk (RabbitMQ batches fsyncs); it has no"
          + " setting to confirm before the fsync, so this is stronger durability than the others";

  private final Connection connection;
  private final Channel[] channels;
  private final String queue;
  private final byte[] payload;
  private final ConcurrentNavigableMap<Long, CompletableFuture<Void>>[] pending;

  @SuppressWarnings("unchecked")
  RabbitPublisher(String hostPort, String queue, int slots, int size) throws Exception {
    int colon = hostPort.lastIndexOf(':');
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(hostPort.substring(0, colon));
    factory.setPort(Integer.parseInt(hostPort.substring(colon + 1)));
    connection = factory.newConnection("continuum-bench");
    this.queue = queue;
    payload = Payloads.json("k", size);
    channels = new Channel[slots];
    pending = new ConcurrentNavigableMap[slots];
    Channel admin = connection.createChannel();
    admin.queueDelete(queue);
    admin.queueDeclare(queue, true, false, false, null);
    admin.close();
    for (int slot = 0; slot < slots; slot++) {
      ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.addConfirmListener(
          (tag, multiple) -> settle(waiting, tag, multiple, null),
          (tag, multiple) ->
              settle(waiting, tag, multiple, new IllegalStateException("nacked by the broker")));
      channels[slot] = channel;
      pending[slot] = waiting;
    }
  }

  private static void settle(
      ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiting,
      long tag,
      boolean multiple,
      Exception failure) {
    var settled = multiple ? waiting.headMap(tag, true) : waiting.subMap(tag, true, tag, true);
    settled.forEach(
        (t, future) -> {
          if (failure == null) {
            future.complete(null);
          } else {
            future.completeExceptionally(failure);
          }
        });
    settled.clear();
  }

  @Override
  public CompletionStage<?> call(int slot, long seq) {
    Channel channel = channels[slot];
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    pending[slot].put(channel.getNextPublishSeqNo(), confirmed);
    try {
      channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, payload);
    } catch (Exception e) {
      confirmed.completeExceptionally(e);
    }
    return confirmed;
  }

  @Override
  public void close() throws Exception {
    Channel admin = connection.createChannel();
    admin.queueDelete(queue);
    connection.close();
  }
}
