package io.continuum.gateway;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls the gateway is serving: at most {@code max} at once, so that an overloaded node refuses
 * more work at its door ({@code UNAVAILABLE}, the call not started) instead of queueing it; and so
 * that the ones still running when the node's shutdown grace ends get a status a client can act on
 * ({@code UNAVAILABLE}: retry through another node). Left to grpc-java's {@code shutdownNow}, their
 * streams would be reset, which a client sees as {@code CANCELLED}, as if it had given up itself.
 */
final class CallsInFlight implements ServerInterceptor {

  private final Set<TrackedCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private final int max;
  private final Status overloaded;

  /** Serves at most {@code max} calls at once; 0: no limit. */
  CallsInFlight(int max) {
    this.max = max;
    this.overloaded = GrpcErrors.overloaded(max);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (max > 0 && calls.size() >= max) {
      call.close(overloaded, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    TrackedCall<Q, A> tracked = new TrackedCall<>(call);
    calls.add(tracked);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(tracked, headers);
    } catch (RuntimeException e) {
      calls.remove(tracked);
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        calls.remove(tracked);
        super.onComplete();
      }

      @Override
      public void onCancel() {
        calls.remove(tracked);
        super.onCancel();
      }
    };
  }

  /** Ends every call still running with {@code status}. */
  void closeAll(Status status) {
    calls.forEach(call -> call.close(status, new Metadata()));
  }

  /**
   * A call that can be closed from outside its handler: whatever the handler sends later is
   * dropped.
   */
  private static final class TrackedCall<Q, A>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
    private boolean closed;

    TrackedCall(ServerCall<Q, A> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(A message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
