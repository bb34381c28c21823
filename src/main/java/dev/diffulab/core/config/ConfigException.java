package dev.diffulab.core.config;

import dev.diffulab.core.InputException;

/**
 * A config value a person has to fix: the message names the key (dotted path, e.g.
 * {@code model.d_model}) and what is wrong with it.
 */
public final class ConfigException extends InputException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  static ConfigException at(String key, String problem) {
    return new ConfigException("config key '" + key + "': " + problem);
  }
}
