package dev.diffulab.core.config;

import dev.diffulab.core.InputException;

/**
 * A config value a person has to fix: the message names the key (dotted path, e.g.
 * {@code model.d_model}) and what is wrong with it; {@link #key()} gives the key alone, so an
 * editor can mark the field.
 */
public final class ConfigException extends InputException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final String problem;

  public ConfigException(String message) {
    this(message, null, message);
  }

  private ConfigException(String message, String key, String problem) {
    super(message);
    this.key = key;
    this.problem = problem;
  }

  static ConfigException at(String key, String problem) {
    return new ConfigException("config key '" + key + "': " + problem, key, problem);
  }

  /** The same problem with {@code source} (a file name) in front of the message. */
  ConfigException in(String source) {
    return new ConfigException(source + ": " + getMessage(), key, problem);
  }

  /** The dotted key at fault, or null when the problem is not one key's (e.g. bad JSON). */
  public String key() {
    return key;
  }

  /** What is wrong, without the key: "must be between 1 and 64, got 0". */
  public String problem() {
    return problem;
  }
}
