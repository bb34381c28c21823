package dev.diffulab.engine.checkpoint;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;

/** A model ready to sample from: its config, tokenizer, parameters and manifest. */
public record LoadedModel(RunConfig config, TextTokenizer tokenizer, DenoiserModel model,
    Manifest manifest) implements AutoCloseable {

  public static LoadedModel open(Path dir, NDManager manager) {
    Checkpoint.Contents c = Checkpoint.read(dir);
    TextTokenizer tok = TextTokenizer.fromJson(c.tokenizerJson(), "tokenizer in checkpoint " + dir);
    DenoiserModel model = null;
    try {
      model = new DenoiserModel(c.config().model(), tok.vocabSize(), tok.specialMask(), manager,
          c.config().seed());
      Checkpoint.loadParameters(c, model);
      return new LoadedModel(c.config(), tok, model, c.manifest());
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tok.close();
      throw e;
    }
  }

  /** Canvas lengths for {@code n} samples drawn from the training stories' lengths. */
  public int[] drawLengths(int n, int fixed, int promptLength, long seed) {
    int[] out = new int[n];
    java.util.Random r = new java.util.Random(seed ^ 0x1F2E3D4CL);
    for (int i = 0; i < n; i++) {
      int len = fixed > 0 ? fixed : manifest.drawLength(r.nextDouble());
      out[i] = Math.clamp(len, Math.min(promptLength + 1, config.model().seqLen()),
          config.model().seqLen());
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
