package io.continuum.gateway;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.Rejected;
import java.util.ArrayList;
import java.util.List;

/**
 * The application of the gateway tests, registered in this module's test resources so that every
 * node these tests start runs it: the function type {@code notebook} in {@link GatewayNode#ZONE},
 * no topics, and the declared object {@code shelf} with the function type {@code librarian} that
 * reads and updates it.
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

  /** Adds a title to the shelf and counts a page; replies with the shelf as it was read. */
  public record Shelve(String title) {}

  /** The shelf as a librarian read it. */
  public record Shelf(List<String> titles, long pages) {}

  static final String OBJECT = "shelf";

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
    app.object(OBJECT, o -> o.orSet("titles").pnCounter("pages")).zones(GatewayNode.ZONE);
    app.function("librarian", Notes.class, new Notes(List.of()))
        .zoneOfObject(OBJECT)
        .reads(OBJECT)
        .on(
            Shelve.class,
            (context, notes, shelve) -> {
              context.reply(
                  new Shelf(
                      context.object(OBJECT).elements("titles"),
                      context.object(OBJECT).counter("pages")));
              context.update(OBJECT, "titles", "add", shelve.title());
              context.update(OBJECT, "pages", "increment", 1);
              return append(notes, shelve.title());
            });
  }

  private static Notes append(Notes notes, String line) {
    List<String> lines = new ArrayList<>(notes.lines());
    lines.add(line);
    return new Notes(List.copyOf(lines));
  }
}
