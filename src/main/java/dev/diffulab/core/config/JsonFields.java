package dev.diffulab.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON object of a config strictly: every read key is remembered so that {@link #finish()}
 * can reject the keys nobody asked for, and every error names the key by its dotted path.
 */
final class JsonFields {
  private final JsonObject object;
  private final String path;
  private final Set<String> read = new HashSet<>();

  JsonFields(JsonObject object, String path) {
    this.object = object == null ? new JsonObject() : object;
    this.path = path;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  JsonFields child(String name) {
    read.add(name);
    JsonElement e = object.get(name);
    if (e == null || e.isJsonNull()) {
      return new JsonFields(null, key(name));
    }
    if (!e.isJsonObject()) {
      throw ConfigException.at(key(name), "expected an object, got " + e);
    }
    return new JsonFields(e.getAsJsonObject(), key(name));
  }

  /**
   * Moves {@code key} from the child object {@code from} to the child object {@code to} when
   * only {@code from} has it: how a key that changed sections is still read from older files.
   */
  void moveKey(String from, String key, String to) {
    JsonElement a = object.get(from);
    if (a == null || !a.isJsonObject() || !a.getAsJsonObject().has(key)) {
      return;
    }
    JsonElement b = object.get(to);
    if (b != null && !b.isJsonNull() && !b.isJsonObject()) {
      return; // reading the section names what is wrong with it
    }
    JsonObject target = b == null || b.isJsonNull() ? new JsonObject() : b.getAsJsonObject();
    if (target.has(key)) {
      return; // both: the old one is refused as an unknown key
    }
    target.add(key, a.getAsJsonObject().remove(key));
    object.add(to, target);
  }

  private JsonPrimitive primitive(String name) {
    read.add(name);
    JsonElement e = object.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive()) {
      throw ConfigException.at(key(name), "expected a single value, got " + e);
    }
    return e.getAsJsonPrimitive();
  }

  int integer(String name, int fallback, int min, int max) {
    JsonPrimitive p = primitive(name);
    if (p == null) {
      return fallback;
    }
    if (!p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble())) {
      throw ConfigException.at(key(name), "expected a whole number, got " + p);
    }
    double v = p.getAsDouble();
    if (v < min || v > max) {
      throw ConfigException.at(key(name), "must be between " + min + " and " + max + ", got " + p);
    }
    return (int) v;
  }

  long longValue(String name, long fallback) {
    JsonPrimitive p = primitive(name);
    if (p == null) {
      return fallback;
    }
    if (!p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble())) {
      throw ConfigException.at(key(name), "expected a whole number, got " + p);
    }
    return p.getAsLong();
  }

  double number(String name, double fallback, double min, double max) {
    JsonPrimitive p = primitive(name);
    if (p == null) {
      return fallback;
    }
    if (!p.isNumber()) {
      throw ConfigException.at(key(name), "expected a number, got " + p);
    }
    double v = p.getAsDouble();
    if (!(v >= min && v <= max)) {
      throw ConfigException.at(key(name), "must be between " + min + " and " + max + ", got " + p);
    }
    return v;
  }

  boolean bool(String name, boolean fallback) {
    JsonPrimitive p = primitive(name);
    if (p == null) {
      return fallback;
    }
    if (!p.isBoolean()) {
      throw ConfigException.at(key(name), "expected true or false, got " + p);
    }
    return p.getAsBoolean();
  }

  String string(String name, String fallback) {
    JsonPrimitive p = primitive(name);
    if (p == null) {
      return fallback;
    }
    if (!p.isString()) {
      throw ConfigException.at(key(name), "expected a string, got " + p);
    }
    return p.getAsString();
  }

  String choice(String name, String fallback, List<String> allowed) {
    String v = string(name, fallback);
    if (!allowed.contains(v)) {
      throw ConfigException.at(key(name), "must be one of " + allowed + ", got \"" + v + "\"");
    }
    return v;
  }

  /** Rejects every key of this object that no reader asked for. */
  void finish() {
    Set<String> unknown = new TreeSet<>(object.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw ConfigException.at(key(first), "unknown key");
    }
  }
}
