package dev.diffulab.ui.train;

import dev.diffulab.core.config.RunConfig;

/** A full run and its measured cost, put to the person before it starts. */
public record FullRunOffer(RunConfig config, dev.diffulab.core.snapshot.StepCost cost) {
  public long etaMillis() {
    return cost.millisFor(config.train().steps());
  }

  public String describe() {
    var m = config.model();
    var t = config.train();
    return String.format(java.util.Locale.ROOT,
        "%s: %s, %d layers × %d wide, batch %d, %,d steps.%n%n"
            + "One step takes %.2f s on the %s (measured over %d steps, %,.0f tokens/s),"
            + " so training needs about %s, plus evaluations and previews.%s",
        config.name(), config.method().label(),
        m.layers(), m.dModel(), t.batchSize(), t.steps(), cost.secondsPerStep(),
        cost.device(), cost.measuredSteps(), cost.tokensPerSecond(),
        TrainViewModel.duration(etaMillis()),
        cost.device().equals("CPU") ? "\n\nOn a GPU the same run takes minutes." : "")
        + (t.checkpointEvery() > 0
            ? String.format(" Checkpoints are written every %,d steps and on Stop.",
                t.checkpointEvery())
            : "");
  }
}
