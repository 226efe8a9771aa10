package io.continuum.bench;

/**
 * A durable publisher of one system under test: {@link #call} publishes one entry and completes
 * when the system acknowledged it as durable; {@link #close} removes what it created.
 */
interface Publisher extends Operation, AutoCloseable {

  @Override
  void close() throws Exception;
}
