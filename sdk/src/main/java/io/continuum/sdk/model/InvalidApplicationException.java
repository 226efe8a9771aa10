package io.continuum.sdk.model;

import java.util.List;

/** An application's declarations are invalid; the message lists every problem found. */
public final class InvalidApplicationException extends RuntimeException {

  private final List<String> problems;

  public InvalidApplicationException(List<String> problems) {
    super("invalid application: " + String.join("; ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
