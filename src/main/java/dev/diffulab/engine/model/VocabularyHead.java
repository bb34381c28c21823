package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A denoiser whose last step maps hidden states to vocabulary logits. Losses and samplers call the
 * head only on the rows they score (masked positions, real positions), so a 30,000-token
 * vocabulary costs nothing where nothing is read.
 */
public interface VocabularyHead {
  /** Logits (…, V) of final hidden states h (…, D), special tokens at −10⁴. */
  NDArray project(ParameterStore ps, NDArray h, boolean training);

  /** The vocabulary size V. */
  int vocab();
}
