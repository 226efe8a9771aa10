package io.continuum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a single-node, loopback-only Cassandra 5.0 is configured with: {@code cassandra.yaml}
 * and a logback configuration, both written into the node's work directory, which also holds all of
 * its data.
 *
 * @param workDir absolute directory holding the configuration, the data and the logs
 * @param cqlPort native transport (CQL) port on 127.0.0.1
 * @param storagePort internode port on 127.0.0.1
 */
record CassandraConfig(Path workDir, int cqlPort, int storagePort) {

  /** Address every port is bound to. */
  static final String HOST = "127.0.0.1";

  CassandraConfig {
    if (!workDir.isAbsolute()) {
      throw new IllegalArgumentException("work directory must be absolute: " + workDir);
    }
  }

  Path yamlFile() {
    return workDir.resolve("cassandra.yaml");
  }

  Path logbackFile() {
    return workDir.resolve("logback.xml");
  }

  /** The server's log, written through {@link #logbackFile()}. */
  Path logFile() {
    return workDir.resolve("cassandra.log");
  }

  /** Where the server JVM's standard output and error go: anything logged before logback is up. */
  Path outputFile() {
    return workDir.resolve("cassandra.out");
  }

  /** Writes (or overwrites) {@link #yamlFile()} and {@link #logbackFile()}. */
  void write() throws IOException {
    Files.createDirectories(workDir);
    Files.writeString(yamlFile(), yaml());
    Files.writeString(logbackFile(), logback());
  }

  private String yaml() {
    return """
        cluster_name: continuum-test
        # A single node owning the whole ring: one token, fixed so that no allocation runs.
        num_tokens: 1
        initial_token: 0
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%1$s:%3$d"
        listen_address: %1$s
        rpc_address: %1$s
        storage_port: %3$d
        native_transport_port: %2$d
        start_native_transport: true
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        data_file_directories:
          - %4$s
        commitlog_directory: %5$s
        saved_caches_directory: %6$s
        hints_directory: %7$s
        cdc_raw_directory: %8$s
        # Test data: no snapshots piling up on every TRUNCATE and DROP.
        auto_snapshot: false
        """
        .formatted(
            HOST,
            cqlPort,
            storagePort,
            quoted(workDir.resolve("data")),
            quoted(workDir.resolve("commitlog")),
            quoted(workDir.resolve("saved_caches")),
            quoted(workDir.resolve("hints")),
            quoted(workDir.resolve("cdc_raw")));
  }

  private String logback() {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <append>true</append>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%logger{0} - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="FILE"/>
          </root>
        </configuration>
        """
        .formatted(xmlEscaped(logFile().toString()));
  }

  /** A YAML single-quoted scalar: only the quote itself needs escaping. */
  private static String quoted(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }

  private static String xmlEscaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
