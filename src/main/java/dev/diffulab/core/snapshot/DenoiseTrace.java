package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * A whole denoising run of one sample, step by step: what the Denoise workspace scrubs and
 * {@code generate --trace} writes. {@code vocab} maps token ids to their strings.
 */
public record DenoiseTrace(String method, String settings, long seed, List<String> vocab,
    int prefixLength, List<TraceStep> steps, String finalText) implements Snapshot {

  public DenoiseTrace {
    dev.diffulab.core.config.Method.of(method); // fails on a method nobody knows
    steps = List.copyOf(steps);
    vocab = List.copyOf(vocab);
  }

  public TraceStep last() {
    return steps.getLast();
  }

  public int stepCount() {
    return steps.size() - 1;
  }

  /** The family that wrote this trace, whose noise properties the views follow. */
  public dev.diffulab.core.config.Method family() {
    return dev.diffulab.core.config.Method.of(method);
  }
}
