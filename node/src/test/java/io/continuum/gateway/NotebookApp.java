package io.continuum.gateway;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.Rejected;
import java.util.ArrayList;
import java.util.List;

/**
 * The application of the gateway tests, registered in this module's test resources so that every
 * node these tests start runs it: one function type, {@code notebook}, in {@link GatewayNode#ZONE},
 * and no topics.
 */
public final class NotebookApp implements ContinuumApp {

  static final String TYPE = "notebook";

  /** The state: the lines written, in the order they were handled. */
  public record Notes(List<String> lines) {}

  /** Appends a line and replies with the notes. */
  public record Append(String text) {}

  /** Appends a line without replying; its JSON is that of {@link Append}. */
  public record Note(String text) {}

  /** Refused with {@code reason}. */
  public record Refuse(String reason) {}

  /** Appends a line after {@code millis}, and replies with the notes. */
  public record Stall(long millis, String text) {}

  @Override
  public void define(App app) {
    app.function(TYPE, Notes.class, new Notes(List.of()))
        .zone(GatewayNode.ZONE)
        .on(
            Append.class,
            (context, notes, append) -> {
              Notes next = append(notes, append.text());
              context.reply(next);
              return next;
            })
        .on(Note.class, (context, notes, note) -> append(notes, note.text()))
        .on(
            Refuse.class,
            (context, notes, refuse) -> {
              throw new Rejected(refuse.reason());
            })
        .on(
            Stall.class,
            (context, notes, stall) -> {
              Thread.sleep(stall.millis()); // a handler that takes longer than its caller waits
              Notes next = append(notes, stall.text());
              context.reply(next);
              return next;
            });
  }

  private static Notes append(Notes notes, String line) {
    List<String> lines = new ArrayList<>(notes.lines());
    lines.add(line);
    return new Notes(List.copyOf(lines));
  }
}
