package dev.diffulab.engine.runtime;

/**
 * Work made of steps (a generation's denoising steps) that hands the engine back after each:
 * the task calls {@code yieldStep.run()} between two steps, and the engine runs one step of
 * whatever else it is doing (a training run) before the task's next step.
 */
@FunctionalInterface
public interface StepwiseTask<T> {
  T run(EngineContext context, Runnable yieldStep) throws Exception;
}
