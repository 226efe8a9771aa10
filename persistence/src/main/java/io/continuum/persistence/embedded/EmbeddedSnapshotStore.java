package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.DeleteSnapshots;
import io.continuum.persistence.embedded.v1.SaveSnapshot;
import io.continuum.persistence.embedded.v1.SnapshotCriteria;
import io.continuum.persistence.embedded.v1.StoredSnapshot;
import io.continuum.persistence.embedded.v1.WriteRequest;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.Option;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The snapshot store plugin of the embedded backend ({@code
 * continuum.persistence.embedded.snapshot-store}): snapshots live beside the events in the {@link
 * JournalServer}, saved and deleted through the node's write stream.
 */
public final class EmbeddedSnapshotStore extends SnapshotStore {

  private final JournalConnection journal = JournalConnection.get(context().system());
  private final EventCodec codec = journal.codec();

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    return FutureConverters.asScala(
        journal
            .loadSnapshot(persistenceId, toProto(criteria))
            .thenApply(found -> found.map(snapshot -> selected(persistenceId, snapshot))));
  }

  private SelectedSnapshot selected(String persistenceId, StoredSnapshot snapshot) {
    Option<Object> metadata =
        snapshot.hasMetadata()
            ? Option.apply(codec.deserialize(snapshot.getMetadata()))
            : Option.empty();
    return SelectedSnapshot.create(
        new SnapshotMetadata(
            persistenceId, snapshot.getSequenceNr(), snapshot.getTimestamp(), metadata),
        codec.deserialize(snapshot.getSnapshot()));
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    StoredSnapshot.Builder stored =
        StoredSnapshot.newBuilder()
            .setSequenceNr(metadata.sequenceNr())
            .setTimestamp(metadata.timestamp())
            .setSnapshot(codec.serialize(snapshot));
    if (metadata.metadata().isDefined()) {
      stored.setMetadata(codec.serialize(metadata.metadata().get()));
    }
    return written(
        WriteRequest.newBuilder()
            .setSaveSnapshot(
                SaveSnapshot.newBuilder()
                    .setPersistenceId(metadata.persistenceId())
                    .setSnapshot(stored)));
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    SnapshotCriteria.Builder exactly =
        SnapshotCriteria.newBuilder()
            .setMinSequenceNr(metadata.sequenceNr())
            .setMaxSequenceNr(metadata.sequenceNr())
            .setMinTimestamp(metadata.timestamp() == 0 ? 0 : metadata.timestamp())
            .setMaxTimestamp(metadata.timestamp() == 0 ? Long.MAX_VALUE : metadata.timestamp());
    return deleted(metadata.persistenceId(), exactly.build());
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return deleted(persistenceId, toProto(criteria));
  }

  private Future<Void> deleted(String persistenceId, SnapshotCriteria criteria) {
    return written(
        WriteRequest.newBuilder()
            .setDeleteSnapshots(
                DeleteSnapshots.newBuilder()
                    .setPersistenceId(persistenceId)
                    .setCriteria(criteria)));
  }

  private Future<Void> written(WriteRequest.Builder request) {
    CompletionStage<Void> done =
        journal
            .write(request)
            .thenApply(
                response -> {
                  EmbeddedJournal.requireAccepted(response);
                  return null;
                });
    return FutureConverters.asScala(done);
  }

  private static SnapshotCriteria toProto(SnapshotSelectionCriteria criteria) {
    return SnapshotCriteria.newBuilder()
        .setMaxSequenceNr(criteria.maxSequenceNr())
        .setMaxTimestamp(criteria.maxTimestamp())
        .setMinSequenceNr(criteria.minSequenceNr())
        .setMinTimestamp(criteria.minTimestamp())
        .build();
  }
}
