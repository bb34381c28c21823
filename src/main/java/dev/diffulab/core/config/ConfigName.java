package dev.diffulab.core.config;

import java.util.Arrays;
import java.util.List;

/** An enum constant as it is spelled in a config file ({@code "low-confidence"}, {@code "cdcd"}). */
public interface ConfigName {
  String id();

  static <E extends Enum<E> & ConfigName> List<String> ids(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(ConfigName::id).toList();
  }

  static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String key, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.id().equals(value)) {
        return e;
      }
    }
    throw ConfigException.at(key, "must be one of " + ids(type) + ", got \"" + value + "\"");
  }
}
