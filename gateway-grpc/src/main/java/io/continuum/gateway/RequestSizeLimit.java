package io.continuum.gateway;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Bounds the bytes of a request body: beyond {@code maxBytes} the body fails with {@code
 * RESOURCE_EXHAUSTED}, and whatever the client still sends is read and discarded. Cancelling the
 * body instead would reset the HTTP/2 stream before the status is sent, and the client would see
 * {@code CANCELLED} rather than why.
 */
final class RequestSizeLimit extends GraphStage<FlowShape<ByteString, ByteString>> {

  private final long maxBytes;
  private final Inlet<ByteString> in = Inlet.create("RequestSizeLimit.in");
  private final Outlet<ByteString> out = Outlet.create("RequestSizeLimit.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

  RequestSizeLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private long bytes;
      private boolean discarding;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ByteString chunk = grab(in);
                if (discarding) {
                  pull(in);
                  return;
                }
                bytes += chunk.size();
                if (bytes > maxBytes) {
                  discarding = true;
                  fail(out, GrpcErrors.requestTooLarge(maxBytes));
                  pull(in);
                } else {
                  push(out, chunk);
                }
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                pull(in);
              }
            });
      }
    };
  }
}
