package io.continuum.persistence.embedded;

/** The journal refused a write: it wrote nothing of it. */
public final class JournalRefusal extends RuntimeException {

  private final boolean conflict;

  JournalRefusal(String message, boolean conflict) {
    super(message, null, false, false);
    this.conflict = conflict;
  }

  /** True when another writer wrote the same persistence id first. */
  public boolean conflict() {
    return conflict;
  }
}
