package dev.diffulab.ui.help;

import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.theme.Theme;
import java.util.List;
import java.util.Random;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Help → Concepts (F1): the ideas the controls name — masked diffusion, schedules, remasking,
 * CDCD and the entropy curve — each in a few sentences with a small figure drawn here. Offline:
 * nothing is fetched. One window, brought to the front when asked for again.
 */
public final class ConceptsWindow {
  private static final String[] STORY = ("Tom found a red ball . He gave it to his sister ."
      .split(" "));
  private static Stage open;

  private ConceptsWindow() {
  }

  /** Shows the window (or brings it to the front), owned by {@code owner}. */
  public static Stage show(Window owner) {
    if (open != null && open.isShowing()) {
      open.toFront();
      return open;
    }
    VBox page = new VBox(14,
        heading("Concepts"),
        para("DiffuLab shows two ways of writing text by undoing noise. Both train one"
            + " transformer to look at a damaged text and say what the clean text was; they"
            + " differ in what the damage is."),
        heading("Masked diffusion"),
        para("The forward process hides a share t of the tokens behind [MASK]; t runs from"
            + " 0 (the text) to 1 (all masked). The model sees the partly masked text and"
            + " predicts every hidden token; its loss is the cross-entropy at the masked"
            + " positions, weighted by 1/t for the ELBO (MDLM, Sahoo et al. 2024). Training"
            + " draws t anew for each text, so one model learns every level — the variable"
            + " masking of RoBERTa-diffusion. The Masking workspace's slider is t."),
        maskedRows(),
        heading("Denoising, schedules and remasking"),
        para("To write, start from all [MASK] and take a few steps: at each, the model fills"
            + " the blanks, and some of its guesses are kept. The schedule says how many stay"
            + " masked after each step — linear, cosine (MaskGIT, Chang et al. 2022) or"
            + " exponential. Remasking says which: a random share (ancestral, MDLM), the"
            + " least confident (LLaDA, MaskGIT), or, with ReMDM, even tokens already written"
            + " can be masked again and rewritten. Tokens are drawn greedily, from the top k,"
            + " or from the nucleus (top-p, Holtzman et al. 2020), after dividing the logits"
            + " by a temperature."),
        schedules(),
        heading("CDCD: continuous diffusion on embeddings"),
        para("CDCD (Dieleman et al. 2022) puts each token at a point on a sphere — its"
            + " normalised embedding — and adds Gaussian noise of size σ. The model predicts,"
            + " for each position, a distribution over tokens; the expected embedding under it"
            + " is the denoised point (score interpolation), and an ODE solver (Euler, Heun)"
            + " walks σ from its largest value down to the smallest. Its loss is again a"
            + " cross-entropy, so diffusion and language modelling share one objective."),
        embeddings(),
        heading("The entropy curve and time warping"),
        para("How hard is denoising at noise σ? CDCD measures it: the model's cross-entropy at"
            + " each σ, rising from near 0 (little noise) to the corpus's unigram entropy (so"
            + " much noise that only word frequencies are left). Training fits a monotone curve"
            + " to these points and draws σ so that every stretch of the curve gets equal"
            + " time — time warping. Sampling steps are spaced the same way. The Train"
            + " workspace draws the points, the fit and the sampling grid as a run learns."),
        entropy());
    page.setPadding(new Insets(18));
    page.setMaxWidth(760);
    ScrollPane scroll = new ScrollPane(page);
    scroll.setFitToWidth(true);
    scroll.setId("conceptsPage");
    Stage stage = new Stage();
    stage.initOwner(owner);
    stage.setTitle("DiffuLab — Concepts");
    Scene scene = new Scene(scroll, 800, 720);
    Appearance.attach(scene);
    stage.setScene(scene);
    stage.show();
    open = stage;
    return stage;
  }

  private static Label heading(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("card-title");
    return l;
  }

  private static Label para(String text) {
    Label l = new Label(text);
    l.setWrapText(true);
    l.getStyleClass().add("intro");
    return l;
  }

  /** The same sentence at t = 0.25, 0.5 and 1.0 (the same random order of positions). */
  private static Node maskedRows() {
    int[] order = new int[STORY.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random r = new Random(3);
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    VBox rows = new VBox(6);
    for (double t : new double[]{0.25, 0.5, 1.0}) {
      int masked = (int) Math.round(t * STORY.length);
      FlowPane row = new FlowPane(4, 4);
      row.getChildren().add(caption(String.format("t = %.2f", t)));
      boolean[] hidden = new boolean[STORY.length];
      for (int k = 0; k < masked; k++) {
        hidden[order[k]] = true;
      }
      for (int i = 0; i < STORY.length; i++) {
        Label chip = new Label(hidden[i] ? "[MASK]" : STORY[i]);
        chip.getStyleClass().addAll("chip", hidden[i] ? "chip-masked" : "chip-plain");
        row.getChildren().add(chip);
      }
      rows.getChildren().add(row);
    }
    return rows;
  }

  private static Label caption(String text) {
    Label l = new Label(text);
    l.setMinWidth(70);
    l.getStyleClass().add("field-name");
    return l;
  }

  /** Masked share against step for the three schedules. */
  private static Node schedules() {
    Canvas c = new Canvas(420, 170);
    GraphicsContext g = frame(c, "denoising step →", "masked share");
    List<MaskSchedule> all = List.of(MaskSchedule.values());
    Color[] colours = {Color.web("#0072b2"), Color.web("#e69f00"), Color.web("#009e73"),
        Color.web("#cc79a7")};
    for (int k = 0; k < all.size(); k++) {
      g.setStroke(colours[k % colours.length]);
      g.setLineWidth(2);
      g.beginPath();
      for (int i = 0; i <= 100; i++) {
        double s = i / 100.0;
        double x = 40 + s * 360;
        double y = 140 - all.get(k).maskedFraction(s) * 120;
        if (i == 0) {
          g.moveTo(x, y);
        } else {
          g.lineTo(x, y);
        }
      }
      g.stroke();
      g.setFill(colours[k % colours.length]);
      g.fillText(all.get(k).id(), 300, 30 + 14 * k);
    }
    return c;
  }

  /** Token embeddings on a circle, a noisy point, and the expected embedding it is pulled to. */
  private static Node embeddings() {
    Canvas c = new Canvas(420, 200);
    GraphicsContext g = c.getGraphicsContext2D();
    Theme t = Appearance.theme();
    g.setFill(Color.web(t.plotBackground));
    g.fillRect(0, 0, c.getWidth(), c.getHeight());
    double cx = 110;
    double cy = 100;
    double rad = 70;
    g.setStroke(Color.web(t.grid));
    g.strokeOval(cx - rad, cy - rad, 2 * rad, 2 * rad);
    String[] words = {"ball", "cat", "red", "he", "ran", "sky"};
    double[] p = {0.55, 0.25, 0.1, 0.05, 0.03, 0.02};
    double ex = 0;
    double ey = 0;
    g.setFill(Color.web(t.text));
    for (int i = 0; i < words.length; i++) {
      double a = 2 * Math.PI * i / words.length + 0.3;
      double x = cx + rad * Math.cos(a);
      double y = cy + rad * Math.sin(a);
      ex += p[i] * x;
      ey += p[i] * y;
      g.fillOval(x - 4, y - 4, 8, 8);
      g.fillText(words[i], x + 6, y - 4);
    }
    double nx = cx + 35;
    double ny = cy + 60;
    g.setFill(Color.web("#d55e00"));
    g.fillOval(nx - 5, ny - 5, 10, 10);
    g.fillText("noisy point x (σ)", nx + 8, ny + 4);
    g.setFill(Color.web("#0072b2"));
    g.fillOval(ex - 5, ey - 5, 10, 10);
    g.setStroke(Color.web("#0072b2"));
    g.strokeLine(nx, ny, ex, ey);
    g.setFill(Color.web(t.text));
    g.fillText("Σ p(token | x) · embedding", 230, 60);
    g.fillText("= the denoised estimate (blue)", 230, 78);
    g.fillText("p: ball 0.55, cat 0.25, red 0.10 …", 230, 110);
    return c;
  }

  /** A typical entropy curve against log σ, its plateau and a warped sampling grid. */
  private static Node entropy() {
    Canvas c = new Canvas(420, 170);
    GraphicsContext g = frame(c, "log σ →", "cross-entropy");
    g.setStroke(Color.web("#0072b2"));
    g.setLineWidth(2.5);
    g.beginPath();
    for (int i = 0; i <= 100; i++) {
      double u = i / 100.0;
      double h = 1 / (1 + Math.exp(-10 * (u - 0.5)));
      double x = 40 + u * 360;
      double y = 140 - h * 110;
      if (i == 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    }
    g.stroke();
    g.setStroke(Color.web("#e69f00"));
    g.setLineDashes(6, 4);
    g.strokeLine(40, 30, 400, 30);
    g.setLineDashes();
    g.setFill(Color.web("#e69f00"));
    g.fillText("unigram entropy", 300, 24);
    // equal steps of the curve, mapped back to σ: dense where the curve climbs
    g.setStroke(Color.web("#cc79a7"));
    for (int k = 1; k < 12; k++) {
      double h = k / 12.0;
      double u = 0.5 + Math.log(h / (1 - h)) / 10;
      double x = 40 + Math.clamp(u, 0, 1) * 360;
      g.strokeLine(x, 140, x, 148);
    }
    return c;
  }

  private static GraphicsContext frame(Canvas c, String xLabel, String yLabel) {
    GraphicsContext g = c.getGraphicsContext2D();
    Theme t = Appearance.theme();
    g.setFill(Color.web(t.plotBackground));
    g.fillRect(0, 0, c.getWidth(), c.getHeight());
    g.setStroke(Color.web(t.grid));
    g.setLineWidth(1);
    g.strokeLine(40, 140, 400, 140);
    g.strokeLine(40, 20, 40, 140);
    g.setFill(Color.web(t.text));
    g.fillText(xLabel, 300, 162);
    g.fillText(yLabel, 44, 14);
    return g;
  }
}
