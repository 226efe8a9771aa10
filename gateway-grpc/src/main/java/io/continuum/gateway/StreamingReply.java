package io.continuum.gateway;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Answers a server-streaming call with the elements of a Pekko stream, at the pace the client reads
 * them: the next element is pulled only while the call is ready for more (gRPC flow control
 * propagates as back-pressure), a client that cancels cancels the stream, and a failure ends the
 * call with the status {@link GrpcErrors} gives it.
 */
final class StreamingReply<T> extends GraphStage<SinkShape<T>> {

  private final ServerCallStreamObserver<T> observer;
  private final Inlet<T> in = Inlet.create("StreamingReply.in");
  private final SinkShape<T> shape = SinkShape.of(in);

  private StreamingReply(ServerCallStreamObserver<T> observer) {
    this.observer = observer;
  }

  /**
   * Runs {@code source} into the call of {@code out}. Call it from the service method itself: the
   * call's readiness and cancellation handlers can only be set before that method returns.
   */
  static <T> void run(Source<T, ?> source, StreamObserver<T> out, Materializer materializer) {
    source.runWith(
        Sink.fromGraph(new StreamingReply<>((ServerCallStreamObserver<T>) out)), materializer);
  }

  @Override
  public SinkShape<T> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      // created here, while the service method runs; invocations before the stage starts wait
      private final AsyncCallback<NotUsed> ready = createAsyncCallback(ignored -> pullIfReady());
      private final AsyncCallback<NotUsed> cancelled =
          createAsyncCallback(ignored -> completeStage());

      {
        observer.setOnReadyHandler(() -> ready.invoke(NotUsed.getInstance()));
        observer.setOnCancelHandler(() -> cancelled.invoke(NotUsed.getInstance()));
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                observer.onNext(grab(in));
                pullIfReady();
              }

              @Override
              public void onUpstreamFinish() {
                observer.onCompleted();
                completeStage();
              }

              @Override
              public void onUpstreamFailure(Throwable failure) {
                observer.onError(GrpcErrors.toGrpc(failure));
                completeStage();
              }
            });
      }

      @Override
      public void preStart() {
        pullIfReady();
      }

      private void pullIfReady() {
        if (!isClosed(in) && !hasBeenPulled(in) && observer.isReady()) {
          pull(in);
        }
      }
    };
  }
}
