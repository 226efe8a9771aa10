package io.continuum.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.util.concurrent.CompletionStage;

/** Publishes to a NATS JetStream stream on file storage; each publish completes on its ack. */
final class JetStreamPublisher implements Publisher {

  /** How durable an acknowledged publish is. */
  static final String SETTING =
      "NATS JetStream file storage, server defaults: a publish is acked once written to the"
          + " OS, without an fsync per message (the server fsyncs its files periodically), as"
          + " Continuum's journal does";

  private final Connection connection;
  private final JetStream jetStream;
  private final JetStreamManagement management;
  private final String stream;
  private final String subject;
  private final byte[] payload;

  JetStreamPublisher(String url, String stream, int size) throws Exception {
    connection = Nats.connect(url);
    management = connection.jetStreamManagement();
    this.stream = stream;
    subject = stream + ".entries";
    deleteStream();
    management.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subject)
            .storageType(StorageType.File)
            .build());
    jetStream = connection.jetStream();
    payload = Payloads.json("k", size);
  }

  private void deleteStream() throws Exception {
    try {
      management.deleteStream(stream);
    } catch (JetStreamApiException e) {
      // no such stream
    }
  }

  @Override
  public CompletionStage<?> call(int slot, long seq) {
    return jetStream.publishAsync(subject, payload);
  }

  @Override
  public void close() throws Exception {
    deleteStream();
    connection.close();
  }
}
