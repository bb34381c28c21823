package dev.diffulab.ui.help;

import java.util.Map;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/**
 * One sentence for each control of the workspaces, keyed by the control's id: what the concept is
 * and, where one applies, the paper it comes from. {@link #install} gives every control that has
 * none yet its sentence as a tooltip.
 */
public final class Tips {
  private static final Map<String, String> TIPS = Map.ofEntries(
      // the image family (Gaussian diffusion)
      Map.entry("imageQuickTestButton", "Train a small U-Net on FashionMNIST for a few minutes:"
          + " the loss, the loss by t and samples of the current model appear as it learns."),
      Map.entry("imageDemoRecipeButton", "Train the recipe of the shipped image demo model"
          + " (about two hours on a 2-core CPU; checkpoints along the way)."),
      Map.entry("imageConfigButton", "Train an image config of your own (JSON; see"
          + " docs/configuration.md): FashionMNIST or a folder of class folders."),
      Map.entry("imageStopButton", "Stop at the end of the current step; the checkpoint is"
          + " written first, and the model opens in Noising and Denoise."),
      Map.entry("noiseSlider", "How far along the forward process: at t, x_t = √ᾱ_t x₀ +"
          + " √(1 − ᾱ_t) ε (DDPM, Ho et al. 2020); ←/→ move it."),
      Map.entry("noisingPictureSpinner", "Which real test picture to noise."),
      Map.entry("noisingAnotherButton", "A random test picture."),
      Map.entry("noisingAskClassCheck", "Give the model the picture's class, as in"
          + " classifier-free guidance's conditional model; off: the unconditional one."),
      Map.entry("imageClassChoice", "Which class each picture is asked for: each in turn, none"
          + " (the unconditional model), or one class for all."),
      Map.entry("imageGuidanceSlider", "Classifier-free guidance w (Ho & Salimans 2022): 0 the"
          + " unconditional model, 1 the conditional one, above 1 pushed further toward the"
          + " class — surer pictures, less variety."),
      Map.entry("imageSeedSpinner", "The seed of the start noise and of every noise added on"
          + " the way: the same seed and settings give the same pictures."),
      Map.entry("imageStepsA", "Sampling steps of A: DDIM visits this many of the T steps"
          + " (Song et al. 2021)."),
      Map.entry("imageEtaA", "DDIM's η for A: 0 deterministic, 1 the ancestral noise of DDPM."),
      Map.entry("imageCompareCheck", "Run a second sampler B from the same start noise, shown"
          + " beside A on the same scrubber."),
      Map.entry("imageStepsB", "Sampling steps of B."),
      Map.entry("imageEtaB", "DDIM's η for B."),
      Map.entry("imageDdpmPresetButton", "Set B to DDPM: every one of the T steps with η = 1."),
      Map.entry("imageGenerateButton", "Draw sixteen pictures, recording x_t and x̂₀ at every"
          + " step."),
      Map.entry("imageCancelButton", "Stop sampling."),
      Map.entry("imageScrubber", "From the start noise (left) to the finished pictures (right):"
          + " x_t and the model's guess x̂₀ at each step; ←/→ step through."),
      Map.entry("imageExportGridButton", "Save the finished pictures as a PNG grid."),
      Map.entry("imageExportGifButton", "Save the run, noise to pictures, as an animated GIF."),
      // Masking
      Map.entry("maskText", "The text to mask: type or paste any text; it is tokenized as the"
          + " model's tokenizer reads it."),
      Map.entry("randomStoryButton", "A new TinyTales story from the grammar the demo models"
          + " were trained on."),
      Map.entry("corpusStoryButton", "A story drawn from the corpus chosen in Train."),
      Map.entry("maskSlider", "The mask ratio t: the share of tokens replaced by [MASK], as in"
          + " the forward process of masked diffusion (MDLM, Sahoo et al. 2024); ←/→ move it."),
      Map.entry("seedField", "Which positions are masked at this ratio: the same seed masks the"
          + " same positions, so ratios can be compared."),
      Map.entry("rerollButton", "Draw another set of masked positions at the same ratio."),
      Map.entry("prefixSpinner", "Keep the first N tokens visible, like a prompt the model"
          + " conditions on (prefix conditioning, as in LLaDA's prompts)."),
      Map.entry("maskExportButton", "Save what this workspace shows as a PNG image."),
      Map.entry("maskFollowCheck", "While a run trains, show the model being trained instead of"
          + " the one opened."),
      Map.entry("denoiseFollowCheck", "While a run trains, generate with the model being trained"
          + " instead of the one opened."),
      // Denoise
      Map.entry("stepsSpinner", "Denoising steps: how many times the model is asked; more steps"
          + " unmask fewer tokens at a time (MDLM, LLaDA) or integrate the ODE finer (CDCD)."),
      Map.entry("scheduleChoice", "How the masked share falls from 100 % to 0 over the steps:"
          + " linear, cosine (MaskGIT, Chang et al. 2022) or exponential."),
      Map.entry("remaskingChoice", "Which tokens stay masked after a step: ancestral keeps a"
          + " random share (MDLM), low-confidence re-masks the least sure (LLaDA, MaskGIT),"
          + " ReMDM-style re-masks committed ones again. CDCD: low-confidence (or random)"
          + " commits the surest (or random) positions as clean tokens as the schedule reveals"
          + " them; ancestral commits none."),
      Map.entry("blocksSpinner", "Low-confidence unmasking in this many blocks, filled left"
          + " to right: the surest blanks of the leftmost unfinished block first (LLaDA's"
          + " semi-autoregressive remasking). 1 = the whole text at once."),
      Map.entry("tokenChoice", "How a token is drawn from the model's distribution: greedy"
          + " (the most likely), top-k, nucleus / top-p (Holtzman et al. 2020), or min-p"
          + " (Nguyen et al. 2024)."),
      Map.entry("topKSpinner", "Top-k: draw only among the k most likely tokens."),
      Map.entry("topPSpinner", "Top-p (nucleus): draw among the fewest tokens whose"
          + " probabilities add up to p (Holtzman et al. 2020)."),
      Map.entry("minPSpinner", "Min-p: draw among the tokens at least this share as likely as"
          + " the likeliest — a sure position keeps one or two, a slot open to many names keeps"
          + " them all (Nguyen et al. 2024)."),
      Map.entry("solverChoice", "CDCD's steps from σ_max down to σ_min: Euler, Heun's"
          + " second-order method (Karras et al. 2022) at twice the model calls, or ancestral"
          + " steps that add fresh noise (as DDPM) so later steps can undo early mistakes."),
      Map.entry("temperatureSpinner", "Temperature: below 1 sharpens the distribution (safer,"
          + " plainer text), above 1 flattens it (more varied, more mistakes)."),
      Map.entry("lengthSpinner", "Tokens to generate; 0 draws a length from the corpus's"
          + " lengths, as the model saw in training."),
      Map.entry("samplesSpinner", "How many texts to generate side by side in one run."),
      Map.entry("denoiseSeedField", "The seed of the run's random draws: the same seed and"
          + " settings give the same texts."),
      Map.entry("prefixField", "A prompt: its tokens are given and never masked; the model"
          + " writes the rest (prefix conditioning)."),
      Map.entry("compareToggle", "Run a second sampler (B) with the same seed, to see what a"
          + " schedule or remasking strategy changes."),
      Map.entry("scheduleBChoice", "The schedule of run B."),
      Map.entry("remaskingBChoice", "The remasking strategy of run B."),
      Map.entry("compareModelToggle", "Let run B use another model (its checkpoint) instead of"
          + " the one open."),
      Map.entry("openCompareModelButton", "Choose the checkpoint that run B uses."),
      Map.entry("generateButton", "Denoise from all-masked (or pure noise for CDCD) to text,"
          + " recording every step for the scrubber."),
      Map.entry("cancelGenerateButton", "Stop the generation after its current step."),
      Map.entry("stepScrubber", "Every step of the recorded run: drag, or ←/→ (Shift: ten),"
          + " Home/End."),
      Map.entry("playButton", "Play the run step by step (Space)."),
      Map.entry("speedChoice", "Playback speed."),
      Map.entry("firstStepButton", "The first step: everything masked (or noise)."),
      Map.entry("prevStepButton", "One step back."),
      Map.entry("nextStepButton", "One step on."),
      Map.entry("lastStepButton", "The last step: the finished text."),
      Map.entry("prevSampleButton", "The previous sample of this run."),
      Map.entry("nextSampleButton", "The next sample of this run."),
      Map.entry("exportTraceButton", "Save every step of the run as JSON, to study elsewhere."),
      Map.entry("exportStepPngButton", "Save the tokens of the current step as a PNG image."),
      Map.entry("exportGifButton", "Save the whole run as an animated GIF, one frame a step."),
      // Train
      Map.entry("pauseButton", "Pause the run between two steps (nothing is lost); Resume goes"
          + " on exactly where it stopped."),
      Map.entry("smoothingSlider", "Smoothing of the loss curve: an exponential moving average"
          + " with bias correction; the raw points stay drawn faintly."),
      Map.entry("logYToggle", "Draw the loss on a logarithmic axis."),
      Map.entry("fitButton", "Fit the view to the whole curve and follow new points again."),
      Map.entry("runsList", "The runs of this session: select one to open its checkpoint in"
          + " Masking and Denoise."),
      Map.entry("samplesList", "Samples the model writes during training; green ones pass the"
          + " TinyTales validator."));

  private Tips() {
  }

  /** The sentence for the control with {@code id}, or null. */
  public static String of(String id) {
    return TIPS.get(id);
  }

  /** Gives every control under {@code root} with a sentence and no tooltip its tooltip. */
  public static void install(Parent root) {
    walk(root);
  }

  private static void walk(Node n) {
    if (n instanceof Control c && c.getId() != null && c.getTooltip() == null) {
      String tip = TIPS.get(c.getId());
      if (tip != null) {
        Tooltip t = new Tooltip(tip);
        t.setWrapText(true);
        t.setMaxWidth(420);
        t.setShowDelay(Duration.millis(500));
        c.setTooltip(t);
      }
    }
    // containers whose content reaches the scene graph only through their skin
    switch (n) {
      case javafx.scene.control.ScrollPane sp when sp.getContent() != null -> walk(sp.getContent());
      case javafx.scene.control.SplitPane sp -> sp.getItems().forEach(Tips::walk);
      case javafx.scene.control.TitledPane tp when tp.getContent() != null -> walk(tp.getContent());
      case javafx.scene.control.TabPane tp -> tp.getTabs().stream()
          .filter(t -> t.getContent() != null).forEach(t -> walk(t.getContent()));
      default -> {
      }
    }
    if (n instanceof Parent p) {
      for (Node child : p.getChildrenUnmodifiable()) {
        walk(child);
      }
    }
  }
}
