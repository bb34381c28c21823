package dev.diffulab.ui.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runs of this session, newest first: what each was (config, method), how far it got, what
 * it measured, where its checkpoint is, and its loss curve for overlays. Pure Java.
 */
public final class RunHistory {
  /** One finished, stopped or failed run. */
  public record Run(String id, String config, String method, String state, int step,
      Map<String, Double> metrics, Path checkpoint, double[] steps, double[] losses) {

    /** One line for the list: "quick-test · masked · finished at 2400 · loss 1.470". */
    public String describe() {
      StringBuilder b = new StringBuilder(config + " · " + method + " · " + state + " at " + step);
      Double loss = metrics.get("final_loss");
      if (loss != null && !loss.isNaN()) {
        b.append(String.format(" · loss %.3f", loss));
      }
      Double ce = metrics.getOrDefault("val_masked_ce_nats", metrics.get("val_ce_sigma_min"));
      if (ce != null && !ce.isNaN()) {
        b.append(String.format(" · val CE %.3f", ce));
      }
      return b.toString();
    }

    /** Everything about the run, for its tooltip: checkpoint and every final metric. */
    public String details() {
      StringBuilder b = new StringBuilder("run " + id + "\ncheckpoint: "
          + (checkpoint == null ? "none" : checkpoint));
      new java.util.TreeMap<>(metrics).forEach((k, v) -> b.append(String.format(
          java.util.Locale.ROOT, "\n%s: %.4g", k, v)));
      return b.toString();
    }
  }

  private final List<Run> runs = new ArrayList<>();
  private final List<double[]> pendingSteps = new ArrayList<>();

  /** Records the loss points of the run in progress. */
  public void recordLoss(int step, double loss) {
    pendingSteps.add(new double[]{step, loss});
  }

  /** Closes the run in progress: it joins the list with the loss curve recorded so far. */
  public Run finish(String id, String config, String method, String state, int step,
      Map<String, Double> metrics, Path checkpoint) {
    double[] steps = new double[pendingSteps.size()];
    double[] losses = new double[pendingSteps.size()];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = pendingSteps.get(i)[0];
      losses[i] = pendingSteps.get(i)[1];
    }
    pendingSteps.clear();
    Run r = new Run(id, config, method, state, step, Map.copyOf(metrics), checkpoint, steps,
        losses);
    runs.addFirst(r);
    return r;
  }

  /**
   * The loss curve of run {@code id} as steps and losses: the finished run's, or the points
   * recorded so far of the run in progress.
   */
  public double[][] curve(String id) {
    for (Run r : runs) {
      if (r.id().equals(id)) {
        return new double[][]{r.steps(), r.losses()};
      }
    }
    double[][] c = new double[2][pendingSteps.size()];
    for (int i = 0; i < pendingSteps.size(); i++) {
      c[0][i] = pendingSteps.get(i)[0];
      c[1][i] = pendingSteps.get(i)[1];
    }
    return c;
  }

  /** Forgets the loss points of a run that is starting over. */
  public void startRun() {
    pendingSteps.clear();
  }

  public List<Run> runs() {
    return List.copyOf(runs);
  }
}
