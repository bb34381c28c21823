package dev.diffulab.engine.checkpoint;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;

/** A model ready to sample from: its config, tokenizer, parameters and manifest. */
public record LoadedModel(RunConfig config, TextTokenizer tokenizer, DenoiserModel model,
    Manifest manifest, dev.diffulab.core.cdcd.TimeWarp warp) implements AutoCloseable {

  public static LoadedModel open(Path dir, NDManager manager) {
    Checkpoint.Contents c = Checkpoint.read(dir);
    TextTokenizer tok = TextTokenizer.fromJson(c.tokenizerJson(), "tokenizer in checkpoint " + dir);
    DenoiserModel model = null;
    try {
      var config = c.config();
      boolean cdcd = config.method() == dev.diffulab.core.config.Method.CDCD;
      model = cdcd
          ? DenoiserModel.cdcd(config.model(), config.cdcd(), tok.vocabSize(),
              tok.specialMask(), manager,
              config.seed())
          : new DenoiserModel(config.model(), tok.vocabSize(), tok.specialMask(), manager,
              config.seed());
      Checkpoint.loadParameters(c, model);
      dev.diffulab.core.cdcd.TimeWarp warp = null;
      if (cdcd) {
        warp = new dev.diffulab.core.cdcd.TimeWarp(config.cdcd().sigmaMin(),
            config.cdcd().sigmaMax(), config.cdcd().warpFit(), config.cdcd().warpWindow());
        var f = dir.resolve(dev.diffulab.engine.cdcd.TimeWarpFile.NAME);
        if (!java.nio.file.Files.isRegularFile(f)) {
          // sampling without the fitted warp would look like a badly trained model
          throw new dev.diffulab.core.InputException("checkpoint " + dir + " is a CDCD model"
              + " without " + dev.diffulab.engine.cdcd.TimeWarpFile.NAME + " (its fitted time"
              + " warp, which sampling needs); copy the whole checkpoint folder");
        }
        dev.diffulab.engine.cdcd.TimeWarpFile.restore(warp, f);
      }
      return new LoadedModel(config, tok, model, c.manifest(), warp);
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tok.close();
      throw e;
    }
  }

  /**
   * Samples with this model's family: iterative unmasking for masked diffusion, Euler/Heun steps
   * on the warped σ grid for CDCD.
   */
  public java.util.List<dev.diffulab.core.snapshot.DenoiseTrace> sample(
      dev.diffulab.core.config.SamplerConfig s, int[] lengths, int[] prompt, long seed,
      dev.diffulab.engine.EngineContext ctx) {
    return sample(s, lengths, prompt, seed, ctx, null);
  }

  /** As above, reporting (step, steps) after every step. */
  public java.util.List<dev.diffulab.core.snapshot.DenoiseTrace> sample(
      dev.diffulab.core.config.SamplerConfig s, int[] lengths, int[] prompt, long seed,
      dev.diffulab.engine.EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    if (warp != null) {
      return dev.diffulab.engine.cdcd.CdcdSampler.sample(model, tokenizer, s,
          warp.grid(s.steps() + 1), lengths, prompt, seed, ctx, progress);
    }
    return dev.diffulab.engine.masked.MaskedSampler.sample(model, tokenizer, s, lengths, prompt,
        seed, ctx, progress);
  }

  /** Canvas lengths for {@code n} samples drawn from the training stories' lengths. */
  public int[] drawLengths(int n, int fixed, int promptLength, long seed) {
    return dev.diffulab.core.data.StoryLengths.sample(manifest.lengthHistogram(), n, fixed,
        promptLength, config.model().seqLen(), new java.util.Random(seed ^ 0x1F2E3D4CL));
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
