package dev.diffulab.ui.denoise;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.core.tinytales.TinyTalesValidator;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The Denoise workspace's state: sampler settings, the recorded traces of the last generation
 * (A, and B when comparing two settings with the same seed), which sample is shown, and the one
 * step both timelines show. Scrubbing only moves {@link #stepProperty()}: nothing is recomputed.
 */
public final class DenoiseViewModel {
  /** What to generate: settings A, optionally settings B, and the shared inputs. */
  public record Request(SamplerConfig a, SamplerConfig b, int length, String prefix, long seed,
      boolean bUsesOtherModel, boolean multiPass) {
    public Request(SamplerConfig a, SamplerConfig b, int length, String prefix, long seed) {
      this(a, b, length, prefix, seed, false, false);
    }
  }

  private final AppSession session;
  private final dev.diffulab.ui.common.ModelChoice choice;
  private final ReadOnlyObjectWrapper<List<DenoiseTrace>> tracesA = new ReadOnlyObjectWrapper<>(
      List.of());
  private final ReadOnlyObjectWrapper<List<DenoiseTrace>> tracesB = new ReadOnlyObjectWrapper<>(
      List.of());
  private final ReadOnlyIntegerWrapper step = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyIntegerWrapper steps = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyIntegerWrapper sample = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper("");
  private AtomicBoolean cancel = new AtomicBoolean();
  private Request last;

  public DenoiseViewModel(AppSession session) {
    this.session = session;
    choice = new dev.diffulab.ui.common.ModelChoice(session);
  }

  /** Generates with the request's settings; each sample's trace is recorded for scrubbing. */
  public void generate(Request r) {
    if (busy.get()) {
      return;
    }
    if (choice.currentProperty().get() == null && session.modelOpening()) {
      Errors.show("The model is still opening (the status bar shows it): Generate again once"
          + " its name shows in the Model line.");
      return;
    }
    if (choice.currentProperty().get() == null) {
      Errors.show("Open a model (Models menu, or File → Open checkpoint…) or start a quick test"
          + " first.");
      return;
    }
    last = r;
    busy.set(true);
    progress.set("generating…");
    cancel = new AtomicBoolean();
    AtomicBoolean flag = cancel;
    java.util.function.BiConsumer<Integer, Integer> report = (k, total) -> session.ui()
        .execute(() -> progress.set("generating: step " + k + " / " + total));
    session.service().generate(new LabService.Generation(r.a(), r.b(), r.bUsesOtherModel(),
        r.prefix(), r.length(), r.seed(), r.multiPass()), flag::get, report)
        .whenComplete((res, error) -> session.ui().execute(() -> {
          busy.set(false);
          progress.set("");
          if (error != null) {
            if (!AppSession.cancelled(error)) {
              Errors.show("Generating", error);
            } else {
              progress.set("cancelled");
            }
            return;
          }
          show(res.a(), res.b());
        }));
  }

  /** Shows recorded traces (also used by tests and by trace files). */
  public void show(List<DenoiseTrace> a, List<DenoiseTrace> b) {
    tracesA.set(List.copyOf(a));
    tracesB.set(List.copyOf(b));
    steps.set(a.isEmpty() ? 0 : a.getFirst().stepCount());
    sample.set(0);
    step.set(steps.get());
    judge();
  }

  public void cancel() {
    cancel.set(true);
  }

  /** Moves the shared timeline to {@code s}, clamped to 0…K. */
  public void setStep(int s) {
    step.set(Math.clamp(s, 0, steps.get()));
  }

  public void moveStep(int delta) {
    setStep(step.get() + delta);
  }

  public void setSample(int i) {
    if (!tracesA.get().isEmpty()) {
      sample.set(Math.floorMod(i, tracesA.get().size()));
      judge();
    }
  }

  private void judge() {
    List<DenoiseTrace> a = tracesA.get();
    if (a.isEmpty()) {
      verdict.set("");
      return;
    }
    ModelSnapshot model = choice.currentProperty().get();
    if (model != null && model.answers()) {
      judgeAnswers(a, model.task());
      return;
    }
    TinyTalesValidator validator = new TinyTalesValidator();
    int valid = 0;
    for (DenoiseTrace t : a) {
      valid += validator.validate(t.finalText()).valid() ? 1 : 0;
    }
    var v = validator.validate(a.get(sample.get()).finalText());
    verdict.set((v.valid()
        ? "✔ a valid TinyTales story"
        : "✘ not a valid TinyTales story: "
            + v.firstError())
        + "  ·  " + valid + " of " + a.size() + " samples valid");
  }

  /**
   * For a model that answers: the shown sample's answer, graded when its task has an exact
   * grader (multiplication), and how many of the samples are right; with a run B beside it (the
   * other settings or the compared model, the AR baseline say), B's the same way.
   */
  private void judgeAnswers(List<DenoiseTrace> a, String task) {
    String text = answers(a, task);
    List<DenoiseTrace> b = tracesB.get();
    if (!b.isEmpty()) {
      text += "   |   B: " + answers(b, task);
    }
    verdict.set(text);
  }

  /** One run's verdict: the shown sample graded, how many are right, their majority. */
  private String answers(List<DenoiseTrace> a, String task) {
    boolean graded = dev.diffulab.core.pairs.Tasks.isTask(task);
    var grader = dev.diffulab.core.pairs.Tasks.grader(task);
    int right = 0;
    String shown = "";
    int at = Math.min(sample.get(), a.size() - 1);
    for (int i = 0; i < a.size(); i++) {
      DenoiseTrace t = a.get(i);
      int[] canvas = t.last().tokens();
      String prompt = dev.diffulab.core.pairs.PairTokens.text(t.vocab(),
          java.util.Arrays.copyOf(canvas, t.prefixLength()));
      String answer = dev.diffulab.core.pairs.PairTokens.text(t.vocab(),
          dev.diffulab.core.pairs.PairTokens.response(t.vocab(), canvas, t.prefixLength()));
      String finalAnswer = dev.diffulab.core.pairs.Pair.finalAnswer(answer);
      boolean ok = false;
      try {
        ok = graded && grader.grade(prompt, "", answer).exact();
      } catch (IllegalArgumentException e) {
        graded = false; // a prompt that is not one of the task's: nothing to grade against
      }
      right += ok ? 1 : 0;
      if (i == at) {
        shown = graded
            ? (ok ? "✔ right: " : "✘ wrong: ") + finalAnswer
            : "answer: " + finalAnswer;
      }
    }
    String vote = a.size() > 1 ? "  ·  majority: " + majority(a) : "";
    return graded
        ? shown + "  ·  " + right + " of " + a.size() + " samples right" + vote
        : shown + vote;
  }

  /**
   * Self-consistency over the samples: the final answer most of them give, with its count (a tie
   * goes to the one given first), graded when the task can be.
   */
  private String majority(List<DenoiseTrace> a) {
    java.util.Map<String, Integer> count = new java.util.LinkedHashMap<>();
    for (DenoiseTrace t : a) {
      String answer = dev.diffulab.core.pairs.PairTokens.text(t.vocab(),
          dev.diffulab.core.pairs.PairTokens.response(t.vocab(), t.last().tokens(),
              t.prefixLength()));
      count.merge(dev.diffulab.core.pairs.Tasks.normalise(
          dev.diffulab.core.pairs.Pair.finalAnswer(answer)), 1, Integer::sum);
    }
    var best = count.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
        .orElseThrow();
    return best.getKey() + " (" + best.getValue() + " of " + a.size() + ")";
  }

  /** The trace of the shown sample with settings A (or B), or null. */
  public DenoiseTrace current(boolean b) {
    List<DenoiseTrace> t = b ? tracesB.get() : tracesA.get();
    return t.isEmpty() ? null : t.get(Math.min(sample.get(), t.size() - 1));
  }

  public Request lastRequest() {
    return last;
  }

  public ReadOnlyObjectProperty<ModelSnapshot> modelProperty() {
    return choice.currentProperty();
  }

  /** Which model Generate samples from, the training run's or the opened one. */
  public dev.diffulab.ui.common.ModelChoice modelChoice() {
    return choice;
  }

  public ReadOnlyObjectProperty<List<DenoiseTrace>> tracesAProperty() {
    return tracesA.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<List<DenoiseTrace>> tracesBProperty() {
    return tracesB.getReadOnlyProperty();
  }

  public ReadOnlyIntegerProperty stepProperty() {
    return step.getReadOnlyProperty();
  }

  public ReadOnlyIntegerProperty stepsProperty() {
    return steps.getReadOnlyProperty();
  }

  public ReadOnlyIntegerProperty sampleProperty() {
    return sample.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty progressProperty() {
    return progress.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty verdictProperty() {
    return verdict.getReadOnlyProperty();
  }
}
