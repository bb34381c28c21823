package dev.diffulab.engine;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.train.Evaluator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The work behind {@link LabService}'s one-shot requests on a checkpoint folder (evaluate,
 * sample): each opens the model on the engine thread, does its job and closes it again.
 */
final class CheckpointTasks {
  private CheckpointTasks() {
  }

  /** {@link LabService#evaluate}, on the engine thread. */
  static Map<String, Object> evaluate(EngineContext ctx, Path dir, SamplerConfig sampler,
      int samples, long seed, boolean record, dev.diffulab.core.pairs.Answering answering)
      throws IOException {
    try (LoadedModel lm = LoadedModel.open(dir, ctx.manager())) {
      Map<String, Object> out = Evaluator.evaluate(lm, sampler, samples, answering.votes(),
          answering.multiPass(), seed, ctx);
      if (record) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        out.forEach((k, v) -> {
          if (v instanceof Number x && !k.equals("step")) {
            numbers.put(k, x.doubleValue());
          }
        });
        numbers.put("seed", (double) seed);
        Checkpoint.rewriteManifest(dir, lm.manifest().withEvaluation(numbers,
            String.valueOf(out.get("sampler"))));
      }
      return out;
    }
  }

  /** {@link LabService#compare}, on the engine thread. */
  static List<Map<String, Object>> compare(EngineContext ctx, List<Path> dirs, int prompts,
      long seed, java.util.function.BiConsumer<Integer, Integer> progress) {
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (Path dir : dirs) {
      ctx.checkCancelled("comparing");
      try (LoadedModel lm = LoadedModel.open(dir, ctx.manager())) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("checkpoint", dir.getFileName() == null
            ? dir.toString()
            : dir.getFileName().toString());
        row.putAll(Evaluator.evaluate(lm, lm.config().sampler(), prompts, 1, false, seed, ctx));
        row.remove("samples");
        rows.add(row);
      }
      if (progress != null) {
        progress.accept(rows.size(), dirs.size());
      }
    }
    return rows;
  }

  /** {@link LabService#accuracyBySteps}, on the engine thread. */
  static List<Map<String, Object>> accuracyBySteps(EngineContext ctx, Path dir,
      SamplerConfig sampler, int[] steps, int prompts,
      dev.diffulab.core.pairs.Answering answering, long seed,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    try (LoadedModel lm = LoadedModel.open(dir, ctx.manager())) {
      return Evaluator.accuracyBySteps(lm, sampler, steps, prompts, answering, seed, ctx,
          progress);
    }
  }

  /** {@link LabService#sweep}, on the engine thread. */
  static List<Map<String, Object>> sweep(EngineContext ctx, Path dir, SamplerConfig sampler,
      String grid, int samples, long seed, BiConsumer<Integer, Integer> progress)
      throws IOException {
    try (LoadedModel lm = LoadedModel.open(dir, ctx.manager())) {
      return sweep(ctx, lm, sampler, grid, "--sweep", samples, seed, progress);
    }
  }

  /**
   * The sweep of {@code lm}: {@code grid} (null or blank: the family's own) over {@code
   * sampler}; {@code where} names the grid in messages.
   */
  static List<Map<String, Object>> sweep(EngineContext ctx, LoadedModel lm,
      SamplerConfig sampler, String grid, String where, int samples, long seed,
      BiConsumer<Integer, Integer> progress) {
    String written = grid == null || grid.isBlank() ? lm.method().defaultSweep() : grid;
    var points = dev.diffulab.core.config.SweepGrid.parse(written, where)
        .points(sampler, lm.config().model().seqLen(), where);
    return Evaluator.sweep(lm, points, samples, seed, ctx, progress);
  }

  /** {@link LabService#sample}, on the engine thread. */
  static List<DenoiseTrace> sample(EngineContext ctx, Path dir, SamplerConfig sampler,
      String prefix, long seed, BiConsumer<Integer, Integer> progress, Consumer<String> warn) {
    try (LoadedModel lm = LoadedModel.open(dir, ctx.manager())) {
      int seqLen = lm.config().model().seqLen();
      int[] prompt = LabService.prompt(lm, prefix);
      if (prompt.length >= seqLen) {
        throw new InputException("the prefix has " + prompt.length + " tokens; the model writes "
            + seqLen + " at most");
      }
      if (sampler.length() > 0 && prompt.length >= sampler.length()) {
        throw new InputException("the prefix has " + prompt.length + " tokens, as many as the"
            + " length " + sampler.length() + " or more: nothing would be left to write");
      }
      long unknown = Arrays.stream(prompt).filter(t -> t == lm.tokenizer().unkId()).count();
      if (unknown > 0) {
        warn.accept(unknown + " word(s) of the prefix are unknown to the model's tokenizer and"
            + " become [UNK]");
      }
      int[] lengths = lm.drawLengths(sampler.numSamples(), sampler.length(), prompt.length, seed);
      return lm.sample(sampler, lengths, prompt, seed, ctx, progress);
    }
  }
}
