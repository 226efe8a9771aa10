package io.continuum.gateway;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells a client whose request message is larger than the gateway accepts what the limit is and
 * what to do about it.
 *
 * <p>grpc-java enforces the limit ({@code maxInboundMessageSize}) itself, as soon as a message's
 * length prefix arrives, so an oversized body is never buffered; but its status, {@code
 * RESOURCE_EXHAUSTED: gRPC message exceeds maximum size …}, names neither the setting nor the
 * remedy. grpc-java reports that refusal to the call's stream tracer before it queues its own
 * status for the client, so the tracer closes the call first, with {@link
 * GrpcErrors#requestTooLarge}: the client receives that status and the end of the stream, and
 * grpc-java's own status is never sent. This needs the call to have started by then, which the
 * gateway's direct executor guarantees (a call starts on the event loop that reads its headers,
 * before its body). {@code TopicGatewayTest} checks the status a client sees.
 */
final class RequestSizeLimit extends ServerStreamTracer.Factory implements ServerInterceptor {

  private static final Context.Key<CallTracer> TRACER = Context.key("continuum-request-size");

  /** Held so that its level stays set: java.util.logging keeps loggers weakly. */
  private static final Logger DEFRAME_FAILURES =
      Logger.getLogger(NettyServerBuilder.class.getPackageName() + ".NettyServerStream");

  static {
    DEFRAME_FAILURES.setLevel(Level.SEVERE);
  }

  private final Status tooLarge;

  RequestSizeLimit(int maxBytes) {
    this.tooLarge = GrpcErrors.requestTooLarge(maxBytes);
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    return new CallTracer();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    CallTracer tracer = TRACER.get();
    if (tracer != null) {
      tracer.call = call;
    }
    return next.startCall(call, headers);
  }

  private final class CallTracer extends ServerStreamTracer {
    private volatile ServerCall<?, ?> call;

    @Override
    public Context filterContext(Context context) {
      return context.withValue(TRACER, this);
    }

    @Override
    public void streamClosed(Status status) {
      ServerCall<?, ?> started = call;
      if (started != null
          && status.getCode() == Status.Code.RESOURCE_EXHAUSTED
          && status.getDescription() != null
          && status.getDescription().contains("exceeds maximum size")) {
        started.close(tooLarge, new Metadata());
      }
    }
  }
}
