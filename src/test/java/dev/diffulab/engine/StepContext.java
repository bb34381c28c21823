package dev.diffulab.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.snapshot.LossPoint;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.engine.runtime.EngineContext;
import java.util.Map;
import java.util.TreeMap;

/**
 * An engine context on the calling thread for tests that drive a training run directly: it keeps
 * every step's loss and stops the task after a given step (0: never).
 */
public class StepContext implements EngineContext {
  private final NDManager manager;
  private final int stopAfter;
  /** Step → loss, as the run published them. */
  public final Map<Integer, Float> losses = new TreeMap<>();
  private int lastStep;

  public StepContext(NDManager manager, int stopAfter) {
    this.manager = manager;
    this.stopAfter = stopAfter;
  }

  @Override
  public Device device() {
    return manager.getDevice();
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public void publish(Snapshot snapshot) {
    if (snapshot instanceof LossPoint p) {
      losses.put(p.step(), (float) p.loss());
      lastStep = p.step();
    }
  }

  @Override
  public boolean cancelled() {
    return stopAfter > 0 && lastStep >= stopAfter;
  }

  @Override
  public boolean paused() {
    return false;
  }

  @Override
  public void serviceInteractive() {
  }

  @Override
  public void awaitResume() {
  }
}
