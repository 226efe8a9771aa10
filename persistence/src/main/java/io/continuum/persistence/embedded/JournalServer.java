package io.continuum.persistence.embedded;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an embedded journal: a {@link JournalStore} in a directory, to the nodes of a local
 * cluster over TCP on 127.0.0.1 ({@link #serve}), or to the node of this process alone ({@link
 * #inProcess}). Only the process running the server opens the store, so a node that is killed,
 * frozen or restarted never holds the journal's files, its lock or a transaction: a write is one
 * request, committed (with others) or refused as a whole by the server.
 *
 * <pre>{@code
 * try (JournalServer journal = JournalServer.serve(Path.of("data/journal"), JournalSettings.defaults())) {
 *   // nodes get CONTINUUM_EMBEDDED_JOURNAL=journal.address()
 * }
 * }</pre>
 */
public final class JournalServer implements AutoCloseable {

  /** The largest message between a node and the journal: a write or a page of a replay. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(JournalServer.class);

  private final JournalStore store;
  private final GroupCommit commit;
  private final JournalService service;
  private final Server server;
  private final String address;
  private final ScheduledExecutorService syncer;

  private JournalServer(
      JournalStore store,
      GroupCommit commit,
      JournalService service,
      Server server,
      String address,
      ScheduledExecutorService syncer) {
    this.store = store;
    this.commit = commit;
    this.service = service;
    this.server = server;
    this.address = address;
    this.syncer = syncer;
  }

  /** Serves the journal in {@code dir} on a free port of 127.0.0.1. */
  public static JournalServer serve(Path dir, JournalSettings settings) {
    return serve(dir, settings, 0);
  }

  /** Serves the journal in {@code dir} on {@code port} of 127.0.0.1 (0: a free one). */
  public static JournalServer serve(Path dir, JournalSettings settings, int port) {
    return start(
        dir,
        settings,
        commit ->
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                // Writes are only queued and reads hand themselves to the service's readers, so
                // calls run on the transport's threads instead of hopping to an executor first.
                .directExecutor()
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true),
        server -> "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort());
  }

  /**
   * Serves the journal in {@code dir} to this process only, under {@link #address()} for {@link
   * io.grpc.inprocess.InProcessChannelBuilder#forName}.
   */
  public static JournalServer inProcess(Path dir, JournalSettings settings) {
    String name = "journal-" + UUID.randomUUID();
    return start(
        dir, settings, commit -> InProcessServerBuilder.forName(name).directExecutor(), s -> name);
  }

  private static JournalServer start(
      Path dir,
      JournalSettings settings,
      java.util.function.Function<GroupCommit, ServerBuilder<?>> builder,
      java.util.function.Function<Server, String> address) {
    if (java.nio.file.Files.exists(dir.resolve("continuum.mv.db"))) {
      log.warn(
          "{} holds the H2 journal of an earlier Continuum version, which this version does not"
              + " read: its topics and instances start empty. Delete it, or start with a new data"
              + " directory (continuum dev --fresh), to make this warning go away",
          dir.resolve("continuum.mv.db"));
    }
    JournalStore store = JournalStore.open(dir, settings.mapSize(), settings.durability());
    GroupCommit commit = new GroupCommit(store);
    JournalService service = new JournalService(store, commit);
    try {
      Server server =
          builder
              .apply(commit)
              .addService(service)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .build()
              .start();
      ScheduledExecutorService syncer = null;
      if (settings.durability() == JournalStore.Durability.PERIODIC) {
        syncer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread thread = new Thread(r, "journal-sync");
                  thread.setDaemon(true);
                  return thread;
                });
        long every = settings.syncInterval().toMillis();
        syncer.scheduleWithFixedDelay(store::sync, every, every, TimeUnit.MILLISECONDS);
      }
      JournalServer journal =
          new JournalServer(store, commit, service, server, address.apply(server), syncer);
      log.info(
          "Embedded journal in {} serves at {} (fsync: {})",
          dir.toAbsolutePath(),
          journal.address(),
          describe(settings));
      return journal;
    } catch (IOException e) {
      commit.close();
      service.close();
      store.close();
      throw new UncheckedIOException("could not serve the embedded journal", e);
    }
  }

  private static String describe(JournalSettings settings) {
    return switch (settings.durability()) {
      case ALWAYS -> "at every commit";
      case PERIODIC -> "every " + settings.syncInterval().toMillis() + " ms";
      case NEVER -> "left to the OS";
    };
  }

  /** Where nodes reach the journal: {@code 127.0.0.1:port}, or the in-process server's name. */
  public String address() {
    return address;
  }

  /** The store, for checks of what the journal holds. */
  public JournalStore store() {
    return store;
  }

  /**
   * Stops serving: new calls are refused, calls in flight get up to {@code grace} to finish, the
   * writes already queued are committed and forced to disk, and the store is closed.
   */
  public void close(Duration grace) {
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    commit.close();
    service.close();
    Optional.ofNullable(syncer).ifPresent(ScheduledExecutorService::shutdownNow);
    store.sync();
    store.close();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
