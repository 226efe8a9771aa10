package io.continuum.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.continuum.persistence.embedded.EmbeddedReadJournal;
import io.continuum.persistence.embedded.JournalConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;

/**
 * The storage behind journals and snapshots, chosen by {@code continuum.persistence.backend}:
 * {@link #EMBEDDED} (an LMDB store under the data directory, served to the nodes of a local cluster
 * by its launcher) or {@link #CASSANDRA}.
 */
public enum PersistenceBackend {
  EMBEDDED("embedded.conf", EmbeddedReadJournal.IDENTIFIER),
  CASSANDRA("cassandra.conf", CassandraReadJournal.Identifier());

  private final String overlay;
  private final String readJournalId;

  PersistenceBackend(String overlay, String readJournalId) {
    this.overlay = overlay;
    this.readJournalId = readJournalId;
  }

  /** The backend selected by a configuration. */
  public static PersistenceBackend of(Config config) {
    String name = config.getString("continuum.persistence.backend");
    return Arrays.stream(values())
        .filter(b -> b.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown continuum.persistence.backend '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                            .map(b -> b.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))));
  }

  /**
   * Completes an unresolved configuration with the plugin settings of its backend, then resolves
   * it. Everything the plugins need is derived from {@code continuum.persistence.*}.
   */
  public static Config configure(Config unresolved) {
    Config reference = ConfigFactory.defaultReferenceUnresolved();
    Config settings = unresolved.withFallback(reference).resolve();
    PersistenceBackend backend = of(settings);
    Config overlay =
        ConfigFactory.parseResources(PersistenceBackend.class, backend.overlay)
            .withFallback(backend.driverSettings(settings));
    return unresolved.withFallback(overlay).withFallback(reference).resolve();
  }

  private Config driverSettings(Config config) {
    if (this != CASSANDRA) {
      return ConfigFactory.empty();
    }
    Config cassandra = config.getConfig("continuum.persistence.cassandra");
    List<String> contactPoints =
        Arrays.stream(cassandra.getString("contact-points").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    Config driver =
        ConfigFactory.empty()
            .withValue(
                "datastax-java-driver.basic.contact-points",
                ConfigValueFactory.fromIterable(contactPoints));
    if (!cassandra.getString("username").isEmpty()) {
      driver =
          driver
              .withValue(
                  "datastax-java-driver.advanced.auth-provider.class",
                  ConfigValueFactory.fromAnyRef("PlainTextAuthProvider"))
              .withValue(
                  "datastax-java-driver.advanced.auth-provider.username",
                  ConfigValueFactory.fromAnyRef(cassandra.getString("username")))
              .withValue(
                  "datastax-java-driver.advanced.auth-provider.password",
                  ConfigValueFactory.fromAnyRef(cassandra.getString("password")));
    }
    return driver;
  }

  /** The plugin id of the read journal that serves queries by persistence id. */
  public String readJournalId() {
    return readJournalId;
  }

  /**
   * Makes the storage ready for writes: on the embedded backend, connects to the journal (serving
   * it in this process when no journal server is configured), so that a misconfiguration stops the
   * node at start. Cassandra's schema is created by the plugin itself when {@code create-schema} is
   * on.
   */
  public CompletionStage<Done> prepare(ActorSystem<?> system) {
    if (this == EMBEDDED) {
      JournalConnection.get(system);
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
