package io.continuum.bench;

/**
 * A durable publisher of one system under test: {@link #call} publishes one entry and completes
 * when the system acknowledged it as durable (as durable as {@link #setting()} says).
 */
interface Publisher extends Operation, AutoCloseable {

  /** The system's name in the results, e.g. {@code rabbitmq}. */
  String system();

  /** How durable an acknowledged entry is, stated for the results table. */
  String setting();

  @Override
  void close() throws Exception;
}
