package dev.diffulab.core;

/**
 * Bad input a person can fix — a missing or empty file, a wrong format, a nonsense value. The
 * message is one sentence that names the file or key; the command line exits with status 2 and the
 * app shows it without a stack trace.
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
