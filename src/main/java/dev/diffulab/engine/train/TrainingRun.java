package dev.diffulab.engine.train;

import ai.djl.engine.Engine;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.LengthBatches;
import dev.diffulab.core.data.Packing;
import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.data.TrainExamples;
import dev.diffulab.core.schedule.LearningRate;
import dev.diffulab.core.snapshot.LossPoint;
import dev.diffulab.core.snapshot.RunResult;
import dev.diffulab.core.snapshot.StepCost;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.method.DiffusionMethod;
import dev.diffulab.engine.method.Family;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.NonFinite;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A whole training run on the engine thread, written out: read and tokenise the corpus, split it,
 * build the model, then step by step draw a batch, corrupt it, take an optimiser step, and publish
 * what a person watches — loss, per-ratio losses, validation bound, preview samples — with pause,
 * stop (which keeps a checkpoint) and resume from a checkpoint.
 */
public final class TrainingRun {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
      TrainingRun.class.getName());
  /** Validation batches are capped so an evaluation takes seconds on a CPU. */
  private static final int MAX_VALIDATION_SEQUENCES = 256;
  /** Above this share of unknown tokens a run says so before it starts. */
  static final double UNKNOWN_WARNING = 0.05;

  /**
   * @param out where the checkpoint goes (rewritten every {@code checkpoint_every} steps and at the
   *     end)
   * @param resume a checkpoint to continue from, or null
   */
  public record Request(String runId, RunConfig config, Path out, Path resume, int stopAt) {
    /** A run to the config's last step (or, resumed, to the checkpoint config's last step). */
    public Request(String runId, RunConfig config, Path out, Path resume) {
      this(runId, config, out, resume, 0);
    }
  }

  private final Request request;
  private final EngineContext ctx;
  /** Training time of the sessions before this one (a resumed run adds up), and this one's start. */
  private double priorSeconds;
  private long began = System.nanoTime();

  public TrainingRun(Request request, EngineContext ctx) {
    this.request = request;
    this.ctx = ctx;
  }

  public RunResult run() throws IOException {
    if (request.out() == null) {
      return withModel(request.config(), this::loop);
    }
    boolean same = request.resume() != null && request.out().toAbsolutePath().normalize()
        .equals(request.resume().toAbsolutePath().normalize());
    String option = same ? "--resume" : "--out";
    try (var _ = dev.diffulab.engine.checkpoint.WriteLock.take(request.out(), option)) {
      Checkpoint.checkTarget(request.out(), option);
      return withModel(request.config(), this::loop);
    }
  }

  private java.util.function.Consumer<dev.diffulab.engine.method.LoadedModel> live;

  /**
   * Lends the model being trained to {@code watcher} for the length of the run, on the engine
   * thread: once it is built (and restored, when resumed) as a {@link
   * dev.diffulab.engine.method.LoadedModel} that reads the live parameters, and with
   * {@code null} when the run ends. Between steps the engine's interactive tasks may sample it or
   * predict with it; the watcher must never close it.
   */
  public TrainingRun lendModel(
      java.util.function.Consumer<dev.diffulab.engine.method.LoadedModel> watcher) {
    this.live = watcher;
    return this;
  }

  /**
   * What one optimiser step of this config costs on the engine's device: builds the model, takes
   * one step to warm up, then times {@code steps} more on random batches. Nothing is saved; a
   * TinyTales corpus is generated at no more than 2,000 stories, since the corpus size does not
   * change the cost of a step.
   */
  public StepCost measure(int steps) throws IOException {
    return measure(1, steps);
  }

  /**
   * As {@link #measure(int)}, after {@code warmup} untimed steps (the first steps of each batch
   * length pay for allocations and kernel selection once).
   */
  public StepCost measure(int warmup, int steps) throws IOException {
    RunConfig c = request.config();
    var d = c.data();
    RunConfig small = c.withData(new DataConfig(d.corpus(), d.tokenizer(),
        Math.min(d.tinytalesStories(), 2000), d.validationFraction(), d.packing(),
        d.lengthBuckets(), d.lengthGroups(), d.order(), d.pairs(), d.taskExamples()));
    return withModel(small, run -> {
      RunConfig config = run.config();
      TextTokenizer tok = run.tok();
      TrainExamples train = run.train();
      Family family = run.family();
      Random random = new Random(config.seed());
      LengthBatches batches = batches(config, train);
      double seconds = 0;
      long tokens = 0;
      long positions = 0;
      for (int i = 1 - warmup; i <= steps; i++) {
        if (ctx.cancelled()) {
          throw new dev.diffulab.engine.runtime.CancelledException("measuring a full run");
        }
        starting(config.train().steps(), i <= 0
            ? "warming up"
            : "timing step " + i + " of "
                + steps);
        TrainBatch batch = train.batch(batches.next(), tok.padId());
        long t0 = System.nanoTime();
        Family.Outcome o = family.step(batch, random, config.train().learningRate());
        if (i > 0) {
          seconds += (System.nanoTime() - t0) / 1e9;
          tokens += o.tokens();
          positions += o.positions();
        }
      }
      return new StepCost(seconds / steps, tokens / seconds, deviceName(), steps,
          (double) tokens / positions, (double) positions / steps / config.train().batchSize());
    });
  }

  /**
   * A run once its corpus is read and its model and optimiser are built (and restored, when
   * resumed): what the training loop works with.
   *
   * @param lengths how many training documents have each length (the samples' lengths)
   * @param start the step it starts from: 0, or the resumed checkpoint's
   */
  private record Built(RunConfig config, TextTokenizer tok, LoadedCorpus corpus,
      TrainExamples train, int[] lengths, DenoiserModel<?> model, Family family, int start) {
  }

  /** What a run does once it is {@link Built}. */
  private interface Body<T> {
    T apply(Built run) throws IOException;
  }

  /** What a progress line says besides the state and step: loss, rate, speed, time left. */
  private record Reading(double loss, double learningRate, double tokensPerSecond, long eta) {
    static Reading none() {
      return new Reading(Double.NaN, 0, 0, -1);
    }
  }

  private <T> T withModel(RunConfig requested, Body<T> body) throws IOException {
    RunConfig config = requested;
    Checkpoint.Contents resume = request.resume() == null
        ? null
        : Checkpoint.read(request.resume());
    if (resume != null) {
      // the original run's config, learning-rate schedule included; stopAt says where to stop
      config = resume.config().withDevice(requested.device());
      // before the corpus is read: a checkpoint that cannot be resumed says so at once
      Checkpoint.checkResumable(resume);
    }
    starting(config.train().steps(), "reading the corpus");
    try (TextTokenizer tok = resume != null
        ? TextTokenizer.fromJson(resume.tokenizerJson(), "checkpoint tokenizer")
        : dev.diffulab.engine.text.TextTokenizer.named(config.data().tokenizer())) {
      MemoryCheck.check(ctx.device(), config, tok.vocabSize());
      LoadedCorpus corpus = LoadedCorpus.load(config.data(), config.model().seqLen(),
          config.seed(), tok);
      double unknown = corpus.stats().unknownRate();
      if (unknown > UNKNOWN_WARNING) {
        starting(config.train().steps(),
            String.format("warning: %.1f %% of the tokens of %s are unknown to %s; they stay"
                + " visible but are never targets — a tokenizer that fits the corpus learns"
                + " more", 100 * unknown, corpus.name(), tok.source()));
      }
      int seqLen = config.model().seqLen();
      Sequences.Split split = split(corpus, config);
      // one unpadded document per example, or rows of whole documents packed together and
      // kept apart by the attention mask: batches are padded only to their own longest member
      TrainExamples train = config.data().packing()
          ? TrainExamples.packed(Packing.pack(split.train(), seqLen, config.seed()))
          : TrainExamples.documents(Sequences.truncate(split.train(), seqLen));
      List<int[]> validation = Sequences.pad(split.validation().subList(0,
          Math.min(MAX_VALIDATION_SEQUENCES, split.validation().size())), seqLen, tok.padId());
      int[] lengths = new int[seqLen + 1];
      split.train().forEach(d -> lengths[Math.min(seqLen, d.length)]++);
      DiffusionMethod method = DiffusionMethod.of(config.method());
      try (DenoiserModel<?> model = method.buildModel(config, tok, ctx.manager());
          Family family = method.training(ctx, request.runId(), config, model, tok, corpus,
              validation, lengths)) {
        int start = 0;
        if (resume != null) {
          if (resume.manifest().parameters() != model.parameterCount()) {
            throw new dev.diffulab.core.InputException("checkpoint " + resume.dir() + ": its"
                + " manifest says " + resume.manifest().parameters() + " parameters but its"
                + " config builds " + model.parameterCount() + "; the manifest was edited or"
                + " belongs to another run");
          }
          Checkpoint.loadParameters(resume, model);
          family.restore(resume); // first: a family's optimizer can depend on its step
          Checkpoint.loadOptimizer(resume, family.optimizer());
          start = resume.manifest().step();
          priorSeconds = resume.manifest().trainSeconds();
        }
        return body.apply(new Built(config, tok, corpus, train, lengths, model, family, start));
      }
    }
  }

  private RunResult loop(Built run) throws IOException {
    RunConfig config = run.config();
    Family family = run.family();
    int start = run.start();
    var t = config.train();
    LearningRate lr = new LearningRate(t.learningRate(), t.warmupSteps(), t.steps());
    LengthBatches batches = batches(config, run.train());
    batches.skip(start); // a resumed run continues the same batch order
    int skippedBefore = family.optimizer().skipped();
    if (live != null) {
      live.accept(new dev.diffulab.engine.method.LoadedModel(config, run.tok(), run.model(),
          saver().manifest(config, run.tok(), run.corpus(), run.lengths(), run.model(), 0, start,
              Map.of()),
          family.extras()));
    }
    try {
      return steps(run, batches, lr, skippedBefore);
    } finally {
      if (live != null) {
        live.accept(null);
      }
    }
  }

  private RunResult steps(Built run, LengthBatches batches, LearningRate lr, int skippedBefore)
      throws IOException {
    RunConfig config = run.config();
    TextTokenizer tok = run.tok();
    LoadedCorpus corpus = run.corpus();
    TrainExamples train = run.train();
    int[] lengths = run.lengths();
    DenoiserModel<?> model = run.model();
    Family family = run.family();
    int start = run.start();
    var t = config.train();
    long realTokens = 0;
    long computedPositions = 0;
    Map<String, Double> metrics = new LinkedHashMap<>();
    began = System.nanoTime();
    double tokensPerSecond = 0;
    double loss = Double.NaN;
    float lastGradNorm = Float.NaN;
    int skippedInARow = 0;
    int recomputedBefore = family.optimizer().recomputed();
    int step = start;
    // the schedule is the config's (the original run's when resumed); a stop point may differ
    int last = request.stopAt() > 0 ? request.stopAt() : t.steps();
    TrainProgress.State end = TrainProgress.State.FINISHED;
    while (step < last) {
      if (ctx.paused()) {
        publish(TrainProgress.State.PAUSED, step, last, new Reading(loss, 0, tokensPerSecond, -1),
            "paused");
        try {
          ctx.awaitResume();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (ctx.cancelled()) {
        end = TrainProgress.State.STOPPED;
        break;
      }
      ctx.serviceInteractive();
      long t0 = System.nanoTime();
      TrainBatch batch = train.batch(batches.next(), tok.padId());
      double rate = family.learningRate(lr, step);
      // every draw of a step (masking, σ, noise) comes from generators seeded by (seed, step):
      // a run resumed at any step draws exactly what the uninterrupted run drew
      Random random = stepRandom(config.seed(), step);
      Engine.getEngine("PyTorch").setRandomSeed(stepRandom(config.seed() ^ 0x9E37L, step)
          .nextInt() & 0x7fffffff);
      Family.Outcome s = family.step(batch, random, rate);
      step++;
      if (!Float.isFinite(s.loss())) {
        publish(TrainProgress.State.FAILED, step, last, new Reading(s.loss(), rate,
            tokensPerSecond, -1), "the loss became " + s.loss() + " at step " + step);
        throw new IllegalStateException("the loss became " + s.loss() + " at step " + step
            + " (gradient norm " + s.gradNorm() + ", previous " + lastGradNorm
            + "; non-finite parameters: " + NonFinite.parameters(model)
            + "); lower train.learning_rate or raise train.warmup_steps");
      }
      loss = s.loss();
      realTokens += s.tokens();
      computedPositions += s.positions();
      lastGradNorm = s.gradNorm();
      if (family.optimizer().recomputed() > recomputedBefore) {
        recomputedBefore = family.optimizer().recomputed();
        LOG.info("step " + step + ": non-finite gradient in " + family.optimizer().lastSkip()
            + "; computed again on the same batch: "
            + (family.optimizer().skipped() > skippedBefore ? "not finite again" : "finite"));
      }
      if (family.optimizer().skipped() > skippedBefore) {
        skippedBefore = family.optimizer().skipped();
        // which parameters and which noise levels: what tracing a rare skip needs
        LOG.warning("step " + step + ": update skipped, non-finite gradient in "
            + family.optimizer().lastSkip() + "; loss " + s.loss() + "; " + family.lastNoise());
        if (++skippedInARow > 20) {
          throw new IllegalStateException("20 steps in a row up to step " + step + " had a"
              + " non-finite gradient; lower train.learning_rate or raise train.grad_clip");
        }
      } else {
        skippedInARow = 0;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rateNow = s.tokens() / seconds;
      tokensPerSecond = tokensPerSecond == 0 ? rateNow : 0.9 * tokensPerSecond + 0.1 * rateNow;
      ctx.publish(new LossPoint(request.runId(), step, loss));
      long eta = (long) ((double) elapsed(began) / (step - start) * (last - step));
      publish(TrainProgress.State.RUNNING, step, last, new Reading(loss, rate, tokensPerSecond,
          eta), "");
      if (step % t.logEvery() == 0 || step == last) {
        family.publishCurve(step);
      }
      try {
        if (t.evalEvery() > 0 && (step % t.evalEvery() == 0 || step == last)) {
          family.evaluate(step, metrics);
        }
        if (t.sampleEvery() > 0 && t.previewSamples() > 0 && step % t.sampleEvery() == 0
            && step < last) {
          family.preview(step);
        }
      } catch (dev.diffulab.engine.runtime.CancelledException e) {
        // a stop while the preview draws is a stop like any other: the trained steps are saved
        end = TrainProgress.State.STOPPED;
        break;
      }
      if (t.checkpointEvery() > 0 && step % t.checkpointEvery() == 0 && step < last) {
        try {
          saver().save(request.out(), config, tok, corpus, lengths, model, family, step, metrics);
        } catch (IOException e) {
          // the run goes on: the final checkpoint has places to fall back to
          LOG.warning("checkpoint at step " + step + " not written to " + request.out() + ": "
              + e.getMessage());
          publish(TrainProgress.State.RUNNING, step, last, new Reading(loss, 0,
              tokensPerSecond, 0),
              "checkpoint at step " + step + " could not be written to "
                  + request.out() + " (" + e.getMessage() + "); training goes on");
        }
      }
    }
    metrics.put("train_tokens_per_s", tokensPerSecond);
    if (computedPositions > 0) {
      metrics.put("real_token_fraction", (double) realTokens / computedPositions);
    }
    metrics.put("final_loss", loss);
    metrics.put("skipped_updates", (double) family.optimizer().skipped());
    metrics.put("recomputed_steps", (double) family.optimizer().recomputed());
    Path saved = null;
    String note = "";
    if (request.out() != null) {
      try {
        saved = saver().save(request.out(), config, tok, corpus, lengths, model, family, step,
            metrics);
      } catch (IOException e) {
        // hours of training are not lost to a full or read-only disk: the model goes elsewhere
        saved = saver().rescue(e, config, tok, corpus, lengths, model, family, step,
            metrics);
        note = "the checkpoint could not be written to " + request.out() + " ("
            + e.getMessage() + "); it was saved to " + saved + " instead";
      }
    }
    // the last preview comes after the checkpoint: an interrupt while it draws (minutes at a
    // large vocabulary) keeps what was trained
    if (end == TrainProgress.State.FINISHED && step > start && t.sampleEvery() > 0
        && t.previewSamples() > 0) {
      try {
        family.preview(step);
      } catch (dev.diffulab.engine.runtime.CancelledException e) {
        end = TrainProgress.State.STOPPED; // the checkpoint is written; only the preview is lost
      }
    }
    publish(end, step, last, new Reading(loss, 0, tokensPerSecond, 0), !note.isEmpty()
        ? note
        : end == TrainProgress.State.STOPPED ? "stopped; checkpoint kept" : "finished");
    return new RunResult(request.runId(), end, step, saved, metrics, note);
  }

  /**
   * Held-out and training documents: at random by seed, or for pairs by a seeded hash of the
   * prompt, so a prompt is never on both sides ({@link dev.diffulab.core.pairs.PairSplit}).
   */
  public static Sequences.Split split(LoadedCorpus corpus, RunConfig config) {
    double share = config.data().validationFraction();
    if (!corpus.isPairs()) {
      return Sequences.split(corpus.tokens(), share, config.seed());
    }
    List<int[]> train = new java.util.ArrayList<>();
    List<int[]> held = new java.util.ArrayList<>();
    for (int i = 0; i < corpus.pairs().size(); i++) {
      boolean out = dev.diffulab.core.pairs.PairSplit.heldOut(corpus.pairs().get(i).prompt(),
          share, config.seed());
      (out ? held : train).add(corpus.tokens().get(i));
    }
    if (train.isEmpty()) {
      throw new dev.diffulab.core.InputException("pair corpus " + corpus.name() + ": every"
          + " prompt fell in the held-out share; lower data.validation_fraction");
    }
    return new Sequences.Split(train, held);
  }

  /** The run's batch order: its seed, batch size, length pools and data.order. */
  private static LengthBatches batches(RunConfig config, TrainExamples train) {
    return new LengthBatches(train.lengths(), config.train().batchSize(),
        config.data().lengthBuckets(), config.data().order() == DataConfig.Order.DRAWS,
        config.seed());
  }

  /** The generator of one step's draws, a pure function of the run's seed and the step. */
  static Random stepRandom(long seed, int step) {
    return new Random(seed * 0x5DEECE66DL + step * 0x9E3779B97F4A7C15L);
  }

  private CheckpointSaver saver() {
    return new CheckpointSaver(request.out(), ctx.device(),
        priorSeconds + elapsed(began) / 1000.0, ctx::askWhereToSave);
  }

  static String version() {
    String v = TrainingRun.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static long elapsed(long began) {
    return (System.nanoTime() - began) / 1_000_000;
  }

  /** Before the first step: what the run is doing ({@code message}) on the way there. */
  private void starting(int total, String message) {
    Reading r = Reading.none();
    ctx.publish(new TrainProgress(request.runId(), TrainProgress.State.STARTING, 0, total,
        r.loss(), r.learningRate(), r.tokensPerSecond(), 0, r.eta(), deviceName(), message));
  }

  private void publish(TrainProgress.State state, int step, int total, Reading r,
      String message) {
    ctx.publish(new TrainProgress(request.runId(), state, step, total, r.loss(),
        r.learningRate(), r.tokensPerSecond(), elapsed(began), r.eta(), deviceName(), message));
  }

  private String deviceName() {
    return ctx.device().isGpu() ? "GPU " + ctx.device().getDeviceId() : "CPU";
  }
}
