package dev.diffulab.ui.denoise;

import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.ui.theme.Appearance;
import java.util.function.IntConsumer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/**
 * Token × step heatmap of a recorded run: a row per position, a column per step, the colour the
 * confidence of the token at that cell (grey while masked) — for CDCD the certainty of the
 * model's distribution, 1 − entropy / ln V. A token committed with low confidence
 * is outlined in orange where it was revealed; the current step is marked; clicking a cell moves
 * the timeline there.
 */
public final class TraceHeatmap extends Canvas {
  /** Committed below this confidence, a token is flagged. */
  public static final float LOW_CONFIDENCE = 0.3f;

  private DenoiseTrace trace;
  private int current;
  private IntConsumer onStep = s -> {
  };

  /** Held here: the appearance listens weakly. */
  private final javafx.beans.InvalidationListener look;

  public TraceHeatmap() {
    super(600, 200);
    setId("traceHeatmap");
    setOnMouseClicked(e -> {
      if (trace != null) {
        int cols = trace.stepCount() + 1;
        onStep.accept((int) Math.min(cols - 1, e.getX() / (getWidth() / cols)));
      }
    });
    widthProperty().addListener((o, a, b) -> draw());
    heightProperty().addListener((o, a, b) -> draw());
    look = Appearance.follow(this::draw); // a theme switch re-colours it
  }

  public void setOnStep(IntConsumer c) {
    onStep = c;
  }

  public void show(DenoiseTrace t, int step) {
    trace = t;
    current = step;
    draw();
  }

  /** Positions whose token was committed with confidence below {@link #LOW_CONFIDENCE}. */
  public static java.util.List<Integer> lowConfidenceCommits(DenoiseTrace t) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (TraceStep s : t.steps()) {
      for (int i = 0; i < s.states().length; i++) {
        if (s.states()[i] == TokenState.REVEALED && s.confidence()[i] < LOW_CONFIDENCE) {
          out.add(i);
        }
      }
    }
    return out;
  }

  private void draw() {
    GraphicsContext g = getGraphicsContext2D();
    g.setFill(Color.web(Appearance.theme().chartBackground));
    g.fillRect(0, 0, getWidth(), getHeight());
    if (trace == null) {
      return;
    }
    int cols = trace.stepCount() + 1;
    int rows = trace.steps().getFirst().tokens().length;
    boolean cdcd = trace.family().continuousNoise();
    double w = getWidth() / cols;
    double h = getHeight() / rows;
    for (int s = 0; s < cols; s++) {
      TraceStep step = trace.steps().get(s);
      for (int i = 0; i < rows; i++) {
        TokenState st = step.states()[i];
        double level = cdcd
            ? Math.max(0, 1 - step.entropy()[i] / Math.log(trace.vocab().size()))
            : step.confidence()[i];
        Color c = switch (st) {
          case MASKED, REMASKED -> Color.web(Appearance.theme().masked);
          case GIVEN -> Color.web("#e69f00", 0.5);
          default -> Color.rgb(0, 114, 178, 0.1 + 0.9 * level);
        };
        g.setFill(c);
        g.fillRect(s * w, i * h, Math.ceil(w), Math.ceil(h));
        if (st == TokenState.REVEALED && step.confidence()[i] < LOW_CONFIDENCE) {
          g.setStroke(Color.web("#d55e00"));
          g.setLineWidth(1.5);
          g.strokeRect(s * w + 0.75, i * h + 0.75, w - 1.5, h - 1.5);
        }
      }
    }
    g.setStroke(Color.web(Appearance.theme().cursor));
    g.setLineWidth(2);
    g.strokeRect(current * w, 0, w, getHeight());
  }
}
