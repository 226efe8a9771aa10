package io.continuum.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.persistence.embedded.v1.AtomicEvents;
import io.continuum.persistence.embedded.v1.Events;
import io.continuum.persistence.embedded.v1.HighestRequest;
import io.continuum.persistence.embedded.v1.JournalGrpc;
import io.continuum.persistence.embedded.v1.ReplayRequest;
import io.continuum.persistence.embedded.v1.Serialized;
import io.continuum.persistence.embedded.v1.StoredEvent;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable means durable: the journal server's process is killed (SIGKILL) while writers keep
 * writing; after it restarts on the same files, every write it acknowledged is there, and every
 * write is there whole or not at all.
 */
@Timeout(120)
class JournalCrashTest {

  private static final int WRITERS = 8;
  private static final int EVENTS_PER_WRITE = 3;

  @TempDir Path dir;

  private Process server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesAKillAndNoWriteIsHalfThere() throws Exception {
    int port = freePort();
    server = start(port);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    AtomicLongArray acknowledged = new AtomicLongArray(WRITERS);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(CompletableFuture.runAsync(() -> write(channel, writer, acknowledged)));
    }
    while (total(acknowledged) < 2000) {
      Thread.onSpinWait();
    }

    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    server = start(port);

    JournalGrpc.JournalBlockingStub reader = JournalGrpc.newBlockingStub(channel);
    for (int w = 0; w < WRITERS; w++) {
      String id = "Fn|crash|" + w;
      long highest =
          reader
              .withWaitForReady()
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .highest(HighestRequest.newBuilder().setPersistenceId(id).build())
              .getHighestSequenceNr();
      assertThat(highest)
          .as(id + " keeps what was acknowledged")
          .isGreaterThanOrEqualTo(acknowledged.get(w));
      assertThat(highest % EVENTS_PER_WRITE).as(id + ": writes are whole").isZero();
      int stored =
          reader
              .replay(
                  ReplayRequest.newBuilder()
                      .setPersistenceId(id)
                      .setFromSequenceNr(1)
                      .setToSequenceNr(Long.MAX_VALUE)
                      .setMax(Long.MAX_VALUE)
                      .build())
              .getEventsCount();
      assertThat(stored).isEqualTo(highest);
    }
    channel.shutdownNow();
  }

  /** Writes three events at a time until the journal stops answering. */
  private static void write(ManagedChannel channel, int writer, AtomicLongArray acknowledged) {
    WriteStream stream = new WriteStream(JournalGrpc.newStub(channel), failure -> failure);
    long next = 1;
    while (true) {
      AtomicEvents.Builder atomic =
          AtomicEvents.newBuilder().setPersistenceId("Fn|crash|" + writer);
      for (int i = 0; i < EVENTS_PER_WRITE; i++) {
        atomic.addEvents(
            StoredEvent.newBuilder()
                .setSequenceNr(next + i)
                .setWriterUuid("w" + writer)
                .setPayload(Serialized.newBuilder().setBytes(ByteString.copyFrom(new byte[256]))));
      }
      try {
        String refusal =
            stream
                .send(WriteRequest.newBuilder().setEvents(Events.newBuilder().addWrites(atomic)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .getRefusal();
        assertThat(refusal).isEmpty();
      } catch (Exception e) {
        return;
      }
      next += EVENTS_PER_WRITE;
      acknowledged.set(writer, next - 1);
    }
  }

  private static long total(AtomicLongArray acknowledged) {
    long total = 0;
    for (int i = 0; i < acknowledged.length(); i++) {
      total += acknowledged.get(i);
    }
    return total;
  }

  private Process start(int port) throws IOException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                JournalServerProcess.class.getName(),
                dir.toString(),
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("serving ")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return process;
      }
    }
    throw new IllegalStateException("the journal server process exited at start");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
