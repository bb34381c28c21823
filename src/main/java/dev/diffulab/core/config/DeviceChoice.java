package dev.diffulab.core.config;

/** Where the engine runs: {@code auto} takes a GPU when the engine reports one. */
public enum DeviceChoice implements ConfigName {
  AUTO("auto"), CPU("cpu"), GPU("gpu");

  private final String id;

  DeviceChoice(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }
}
