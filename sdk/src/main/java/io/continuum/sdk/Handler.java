package io.continuum.sdk;

/**
 * Handles one message of an instance: returns the new state. Effects requested through the context
 * — reply, messages, publishes, delayed messages — take place only if the handler returns; if it
 * throws, the state is unchanged and none of them happens.
 *
 * @param <S> the state
 * @param <M> the message
 */
@FunctionalInterface
public interface Handler<S, M> {

  S handle(Context context, S state, M message) throws Exception;
}
