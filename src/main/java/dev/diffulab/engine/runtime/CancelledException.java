package dev.diffulab.engine.runtime;

import java.util.concurrent.CancellationException;

/** Thrown inside a task when the person cancelled it or the engine is closing. */
public final class CancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String what) {
    super(what + " was cancelled");
  }
}
