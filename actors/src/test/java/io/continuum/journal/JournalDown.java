package io.continuum.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * A journal outage for one persistence id in the persistence test kit: every write and read of it
 * fails, like a journal whose storage is down, until the test kit's policy is reset.
 */
public final class JournalDown implements ProcessingPolicy<JournalOperation> {

  private final String persistenceId;

  private JournalDown(String persistenceId) {
    this.persistenceId = persistenceId;
  }

  /** Takes the journal of {@code persistenceId} down; {@code journal.resetPolicy()} ends it. */
  public static void begin(PersistenceTestKit journal, String persistenceId) {
    journal.withPolicy(new JournalDown(persistenceId));
  }

  /**
   * Waits until {@code call} — a write to the entity whose journal is down — is refused at once as
   * the {@link JournalOutage} guard refuses it, with a message ending in {@code ending}.
   */
  public static void awaitRefusedAtOnce(
      ActorTestKit testKit, Duration within, Supplier<Rejection> call, String ending) {
    testKit
        .createTestProbe()
        .awaitAssert(
            within,
            () -> {
              Rejection refused = call.get();
              assertThat(refused.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(refused.message())
                  .startsWith("the journal is unreachable (")
                  .endsWith(ending);
              return null;
            });
  }

  @Override
  public ProcessingResult tryProcess(String processId, JournalOperation operation) {
    return processId.equals(persistenceId)
        ? new StorageFailure(new IllegalStateException("storage down"))
        : ProcessingSuccess.getInstance();
  }
}
