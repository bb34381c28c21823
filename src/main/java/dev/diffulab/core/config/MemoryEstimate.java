package dev.diffulab.core.config;

import java.util.Locale;

/**
 * What a training run of a config will hold in memory at its peak, estimated before any of it
 * is allocated: the parameters with their gradients, AdamW's two moments, the activations kept
 * for the backward pass at the batch and sequence size, and the logits at the vocabulary for
 * every scored position (with their log-softmax and gradient). An upper bound in spirit: every
 * position is counted as scored, as at a mask ratio of 1.
 *
 * @param weights parameters and their gradients, bytes
 * @param optimizer AdamW's moments, bytes
 * @param activations what the backward pass keeps, bytes
 * @param logits the vocabulary-sized tensors of the loss, bytes
 */
public record MemoryEstimate(long weights, long optimizer, long activations, long logits) {
  /** What PyTorch, the JVM and the corpus take besides the model, bytes. */
  public static final long BASE = 600L << 20;

  public static MemoryEstimate of(RunConfig c, int vocab) {
    ModelConfig m = c.model();
    long d = m.dModel();
    long t = m.seqLen();
    long b = c.train().batchSize();
    Method.Footprint f = c.method().footprint(c);
    long e = f.embeddingDim();
    long perLayer = 4 * d * d + 4 * d + 2 * d * m.ffn() + m.ffn() + d + 4 * d;
    long params = (long) vocab * e + t * d * (m.endPositions() ? 2 : 1) + m.layers() * perLayer
        + 2 * d + vocab + (f.ownHead() ? d * vocab : 0) + f.extraParameters();
    long positions = b * t;
    // per position and layer: q, k, v, attention output, two norms, two residuals, the MLP's
    // two ffn-wide tensors, and the attention scores and weights over the sequence per head
    long perPosition = (8 * d + 2 * m.ffn() + 2L * m.heads() * t) * m.layers();
    long activations = (long) (Float.BYTES * positions * perPosition * f.activationFactor());
    long logits = 3L * Float.BYTES * positions * vocab;
    return new MemoryEstimate(2L * Float.BYTES * params, 2L * Float.BYTES * params, activations,
        logits);
  }

  /** All of it, with the fixed base. */
  public long total() {
    return weights + optimizer + activations + logits + BASE;
  }

  /** The largest term, in words, with the settings that shrink it. */
  public String largest() {
    long max = Math.max(Math.max(weights, optimizer), Math.max(activations, logits));
    if (max == logits) {
      return "the logits over the vocabulary at every position (" + gb(logits)
          + "; lower train.batch_size or model.seq_len, or use a tokenizer with fewer tokens)";
    }
    if (max == activations) {
      return "the activations kept for the backward pass (" + gb(activations)
          + "; lower train.batch_size, model.seq_len, model.layers or model.d_model)";
    }
    return "the parameters with their gradients and optimiser moments ("
        + gb(weights + optimizer) + "; lower model.d_model or model.layers, or use a tokenizer"
        + " with fewer tokens)";
  }

  public static String gb(long bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%d MB", bytes >> 20);
  }
}
