package dev.diffulab.engine.runtime;

/** Work that runs on the engine thread, where every DJL object lives. */
@FunctionalInterface
public interface EngineTask<T> {
  T run(EngineContext context) throws Exception;
}
