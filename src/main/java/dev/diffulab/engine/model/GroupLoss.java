package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;

/**
 * The loss of one step run as several groups of rows ({@code data.length_groups}): each group's
 * loss goes backward on its own — the gradients add up in the parameters — and its value is
 * added to the step's, detached from the graph and kept past the group's own scope, so the step
 * reads one scalar at the end.
 */
public final class GroupLoss {
  private NDArray total;

  /** Backward of {@code groupLoss} through {@code gc}; its value joins the step's. */
  public void backward(GradientCollector gc, NDArray groupLoss) {
    gc.backward(groupLoss);
    NDArray value = groupLoss.stopGradient();
    NDArray sum = total == null ? value : total.add(value);
    NDScope.unregister(sum); // freed with the step's manager, not the group's scope
    total = sum;
  }

  /** The step's loss: the sum over its groups (host copy). */
  public float value() {
    return total.getFloat();
  }
}
