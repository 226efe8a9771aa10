package io.continuum.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The benchmark's gRPC clients: grpc-java over Netty, one plaintext channel (one HTTP/2 connection)
 * per target shared by every slot, as light as the peers' native clients. Replies are handled on
 * the channel's event loop ({@code directExecutor}): the load generator's completion work only
 * starts the slot's next call, which never blocks.
 */
final class GrpcChannels implements AutoCloseable {

  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

  /** The channel to {@code host:port}, opened on first use. */
  synchronized ManagedChannel to(String hostPort) {
    return channels.computeIfAbsent(
        hostPort,
        target -> {
          int colon = target.lastIndexOf(':');
          return NettyChannelBuilder.forAddress(
                  target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))
              .usePlaintext()
              .directExecutor()
              .build();
        });
  }

  /**
   * A unary call through an async stub's method, as a future: {@code unary(stub::publish,
   * request)}. It fails with the call's {@code StatusRuntimeException}.
   */
  static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> reply = new CompletableFuture<>();
    method.accept(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            reply.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            reply.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            reply.completeExceptionally(new IllegalStateException("completed without a reply"));
          }
        });
    return reply;
  }

  @Override
  public synchronized void close() throws InterruptedException {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
    channels.clear();
  }
}
