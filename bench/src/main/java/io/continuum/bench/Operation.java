package io.continuum.bench;

import java.util.concurrent.CompletionStage;

/**
 * One asynchronous operation of a benchmark. A slot is a caller's own lane: no two operations of
 * one slot are in flight at once, so a slot may own a resource that is not thread-safe (an AMQP
 * channel, an instance id).
 */
@FunctionalInterface
public interface Operation {

  /**
   * Starts the operation.
   *
   * @param slot in {@code [0, concurrency)}
   * @param seq a sequence number, unique within a run, starting at 1
   * @return completes, on another thread, when the system under test acknowledged the operation
   */
  CompletionStage<?> call(int slot, long seq);
}
