package io.continuum.reply;

/** A {@link Rejection} carried through a failed {@code CompletionStage}. */
public final class RejectedException extends RuntimeException {

  private final Rejection rejection;

  public RejectedException(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public RejectedException(Reason reason, String message) {
    this(new Rejection(reason, message));
  }

  public Reason reason() {
    return rejection.reason();
  }
}
