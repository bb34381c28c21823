package dev.diffulab.ui.denoise;

import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.session.LabSession;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;

/**
 * The Denoise workspace's sampler settings: steps, schedule, remasking (and its blocks), token
 * choice, top-k, top-p, min-p, temperature, CDCD solver, guidance, DDIM's η and noise temperature,
 * length, samples, seed and prompt for run A, and the schedule and remasking of run B when
 * comparing. What the controls do not show (the remasking temperature, ReMDM's knobs) comes from
 * the open model's own settings.
 */
final class SamplerControls {
  /** What the controls do not show (remasking temperature) comes from the model's settings. */
  private SamplerConfig base = RunConfig.parse("{}", "defaults").sampler();

  final Spinner<Integer> steps = new Spinner<>(1, 1000, 32);
  final ChoiceBox<String> schedule = choice(MaskSchedule.class, "cosine");
  final ChoiceBox<String> remasking = choice(SamplerConfig.Remasking.class, "ancestral");
  final Spinner<Integer> blocks = new Spinner<>(1, 64, 1);
  final ChoiceBox<String> sampling = choice(SamplerConfig.TokenChoice.class, "nucleus");
  final ChoiceBox<String> solver = choice(SamplerConfig.Solver.class, "euler");
  final Spinner<Integer> topK = new Spinner<>(1, 100_000, 20);
  final Spinner<Double> topP = new Spinner<>(0.05, 1.0, 0.9, 0.05);
  final Spinner<Double> minP = new Spinner<>(SamplerConfig.MIN_P.min(), SamplerConfig.MIN_P.max(),
      SamplerConfig.DEFAULT_MIN_P, 0.01);
  final Spinner<Double> temperature = new Spinner<>(0.05, 5.0, 0.8, 0.05);
  final Spinner<Integer> length = new Spinner<>(0, 4096, 0);
  final Spinner<Integer> samples = new Spinner<>(1, 64, 4);
  /** Classifier-free guidance, for a model that learned with and without its prompt. */
  final Spinner<Double> guidance = new Spinner<>(SamplerConfig.GUIDANCE.min(),
      SamplerConfig.GUIDANCE.max(), 1.0, 0.25);
  /** The guidance control with its label, shown only for a model it applies to. */
  final HBox guidanceRow = labelled("Guidance", guidance);
  /** DDIM's η, for a family that samples a Gaussian latent by DDIM. */
  final Spinner<Double> eta = new Spinner<>(SamplerConfig.ETA.min(), SamplerConfig.ETA.max(),
      0.0, 0.1);
  /** The η control with its label, shown only for a model it applies to. */
  final HBox etaRow = labelled("DDIM η", eta);
  /** The scale of DDIM's noise, for the same models. */
  final Spinner<Double> noiseTemperature = new Spinner<>(
      SamplerConfig.NOISE_TEMPERATURE.min(), SamplerConfig.NOISE_TEMPERATURE.max(), 1.0, 0.05);
  /** The noise temperature with its label, shown with η. */
  final HBox noiseRow = labelled("Noise temperature", noiseTemperature);
  final TextField prefix = new TextField();
  final TextField seed = new TextField("1");
  final CheckBox compare = new CheckBox("Compare with");
  final CheckBox otherModel = new CheckBox("other model");
  /** For a model that answers: Diffusion of Thought's multi-pass, one thought a pass. */
  final CheckBox multiPass = new CheckBox("one thought a pass");
  final ChoiceBox<String> scheduleB = choice(MaskSchedule.class, "linear");
  final ChoiceBox<String> remaskingB = choice(SamplerConfig.Remasking.class,
      "low-confidence");

  SamplerControls() {
    steps.setId("stepsSpinner");
    samples.setId("samplesSpinner");
    temperature.setId("temperatureSpinner");
    seed.setId("denoiseSeedField");
    prefix.setId("prefixField");
    compare.setId("compareToggle");
    schedule.setId("scheduleChoice");
    remasking.setId("remaskingChoice");
    blocks.setId("blocksSpinner");
    sampling.setId("tokenChoice");
    solver.setId("solverChoice");
    topK.setId("topKSpinner");
    topP.setId("topPSpinner");
    minP.setId("minPSpinner");
    length.setId("lengthSpinner");
    guidance.setId("guidanceSpinner");
    guidance.setTooltip(new javafx.scene.control.Tooltip("Classifier-free guidance: 1 is the"
        + " model as trained, 0 ignores the prompt, above 1 follows it more strongly."));
    guidanceRow.setVisible(false);
    guidanceRow.managedProperty().bind(guidanceRow.visibleProperty());
    eta.setId("etaSpinner");
    eta.setTooltip(new javafx.scene.control.Tooltip("DDIM's η: 0 is deterministic (one latent"
        + " for each seed's noise), 1 adds DDPM's fresh noise at every step."));
    etaRow.setVisible(false);
    etaRow.managedProperty().bind(etaRow.visibleProperty());
    noiseTemperature.setId("noiseTemperatureSpinner");
    noiseTemperature.setTooltip(new javafx.scene.control.Tooltip("Scale of the noise DDIM starts"
        + " from and adds: 1 samples the model's distribution; below 1 starts nearer its"
        + " commonest latents — surer texts, less varied ones."));
    noiseRow.visibleProperty().bind(etaRow.visibleProperty());
    noiseRow.managedProperty().bind(noiseRow.visibleProperty());
    scheduleB.setId("scheduleBChoice");
    remaskingB.setId("remaskingBChoice");
    // blocks order low-confidence unmasking only
    blocks.disableProperty().bind(remasking.valueProperty().isNotEqualTo("low-confidence"));
    for (Spinner<?> s : List.of(steps, blocks, topK, topP, minP, temperature, length, samples,
        guidance, eta, noiseTemperature)) {
      s.setEditable(true);
      s.setPrefWidth(85);
    }
    seed.setPrefColumnCount(6);
    prefix.setPromptText("prompt (optional)");
    prefix.setPrefColumnCount(18);
    scheduleB.disableProperty().bind(compare.selectedProperty().not());
    remaskingB.disableProperty().bind(compare.selectedProperty().not());
    otherModel.setId("compareModelToggle");
    multiPass.setId("multiPassToggle");
    multiPass.setTooltip(new javafx.scene.control.Tooltip("Diffusion of Thought's multi-pass:"
        + " denoise the answer, keep its first thought, append it to the question, and denoise"
        + " again for the next one. Samples vote on the final answer (self-consistency)."));
    multiPass.setVisible(false);
    multiPass.managedProperty().bind(multiPass.visibleProperty());
    otherModel.disableProperty().bind(compare.selectedProperty().not());
  }

  /** The settings row of the workspace. */
  FlowPane pane() {
    return new FlowPane(8, 6, labelled("Steps", steps), labelled("Schedule",
        schedule), labelled("Remasking", remasking), labelled("Blocks", blocks),
        labelled("Tokens", sampling),
        labelled("top-k", topK), labelled("top-p", topP), labelled("min-p", minP),
        labelled("CDCD solver", solver),
        labelled("Temperature", temperature), guidanceRow, etaRow, noiseRow,
        labelled("Length (0 = corpus)", length), labelled("Samples", samples),
        labelled("Seed", seed), prefix, multiPass);
  }

  /** The settings of run A. */
  SamplerConfig a() {
    return settings(schedule.getValue(), remasking.getValue());
  }

  /** The settings of run B, or null when not comparing. */
  SamplerConfig b() {
    return compare.isSelected() ? settings(scheduleB.getValue(), remaskingB.getValue()) : null;
  }

  /** The settings with the recorded traces, for a saved session. */
  LabSession.Denoise state(List<LabSession.Trace> tracesA, List<LabSession.Trace> tracesB) {
    return new LabSession.Denoise(steps.getValue(), schedule.getValue(), remasking.getValue(),
        sampling.getValue(), solver.getValue(), topK.getValue(), topP.getValue(),
        temperature.getValue(), length.getValue(), samples.getValue(), seed.getText(),
        prefix.getText(), compare.isSelected(), scheduleB.getValue(), remaskingB.getValue(),
        otherModel.isSelected(), tracesA, tracesB, blocks.getValue(), minP.getValue());
  }

  /** Puts a saved session's settings into the controls. */
  void restore(LabSession.Denoise d) {
    steps.getValueFactory().setValue(Math.clamp(d.steps(), 1, 1000));
    pick(schedule, d.schedule());
    pick(remasking, d.remasking());
    pick(sampling, d.sampling());
    pick(solver, d.solver());
    pick(scheduleB, d.scheduleB());
    pick(remaskingB, d.remaskingB());
    topK.getValueFactory().setValue(Math.clamp(d.topK(), 1, 100_000));
    topP.getValueFactory().setValue(Math.clamp(d.topP(), 0.05, 1.0));
    if (d.minP() > 0) { // a session saved before min-p keeps the model's
      minP.getValueFactory().setValue(Math.clamp(d.minP(), SamplerConfig.MIN_P.min(),
          SamplerConfig.MIN_P.max()));
    }
    temperature.getValueFactory().setValue(Math.clamp(d.temperature(), 0.05, 5.0));
    length.getValueFactory().setValue(Math.clamp(d.length(), 0, 4096));
    samples.getValueFactory().setValue(Math.clamp(d.samples(), 1, 64));
    blocks.getValueFactory().setValue(Math.clamp(d.blocks(), 1, 64));
    seed.setText(d.seed() == null ? "1" : d.seed());
    prefix.setText(d.prefix() == null ? "" : d.prefix());
    compare.setSelected(d.compare());
    otherModel.setSelected(d.otherModel());
  }

  /** Selects {@code value} when the box offers it (a session from another version may not). */
  private static void pick(ChoiceBox<String> box, String value) {
    if (value != null && box.getItems().contains(value)) {
      box.setValue(value);
    }
  }

  /** Puts a model's sampler settings into the controls (setting A). */
  void useSettings(SamplerConfig c) {
    base = c;
    steps.getValueFactory().setValue(Math.clamp(c.steps(), 1, 1000));
    schedule.setValue(c.schedule().id());
    remasking.setValue(c.remasking().id());
    sampling.setValue(c.tokenChoice().id());
    solver.setValue(c.solver().id());
    topK.getValueFactory().setValue(Math.max(1, c.topK()));
    topP.getValueFactory().setValue(c.topP());
    minP.getValueFactory().setValue(c.minP());
    temperature.getValueFactory().setValue(c.temperature());
    length.getValueFactory().setValue(c.length());
    blocks.getValueFactory().setValue(Math.clamp(c.blocks(), 1, 64));
    guidance.getValueFactory().setValue(Math.clamp(c.guidance(), SamplerConfig.GUIDANCE.min(),
        SamplerConfig.GUIDANCE.max()));
    eta.getValueFactory().setValue(Math.clamp(c.eta(), SamplerConfig.ETA.min(),
        SamplerConfig.ETA.max()));
    noiseTemperature.getValueFactory().setValue(Math.clamp(c.noiseTemperature(),
        SamplerConfig.NOISE_TEMPERATURE.min(), SamplerConfig.NOISE_TEMPERATURE.max()));
  }

  private SamplerConfig settings(String sched, String remask) {
    return base.withSolver(ConfigName.parse(SamplerConfig.Solver.class, "solver",
        solver.getValue())).with(steps.getValue(),
            ConfigName.parse(MaskSchedule.class, "schedule", sched),
            ConfigName.parse(SamplerConfig.Remasking.class, "remasking", remask),
            ConfigName.parse(SamplerConfig.TokenChoice.class, "sampling", sampling.getValue()),
            topK.getValue(), topP.getValue(), temperature.getValue(), length.getValue(),
            samples.getValue())
        .withBlocks(blocks.getValue())
        .withMinP(minP.getValue())
        .withGuidance(guidance.getValue())
        .withEta(eta.getValue())
        .withNoiseTemperature(noiseTemperature.getValue());
  }

  private static HBox labelled(String label, Node control) {
    HBox h = new HBox(4, new Label(label), control);
    h.setAlignment(Pos.CENTER_LEFT);
    return h;
  }

  private static <E extends Enum<E> & ConfigName> ChoiceBox<String> choice(Class<E> type,
      String value) {
    ChoiceBox<String> c = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
        ConfigName.ids(type)));
    c.setValue(value);
    return c;
  }
}
