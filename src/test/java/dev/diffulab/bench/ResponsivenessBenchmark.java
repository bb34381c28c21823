package dev.diffulab.bench;

import dev.diffulab.ui.shell.DiffuLabApp;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Does the window stay smooth while the shipped quick test trains? Records the gap between JavaFX
 * pulses while the person switches workspaces, resizes the window and drags the Masking slider,
 * first with the engine idle and then with training running, in one run. Prints both; asserts
 * nothing about speed. Run with {@code ./mvnw -Pbench verify}.
 */
@Tag("benchmark")
class ResponsivenessBenchmark extends ApplicationTest {
  private DiffuLabApp app;
  private Stage stage;
  private final List<Long> pulses = new ArrayList<>();
  private volatile boolean recording;

  @Override
  public void start(Stage stage) throws Exception {
    System.setProperty("diffulab.runsDir",
        Files.createTempDirectory("diffulab-bench").toString());
    this.stage = stage;
    app = new DiffuLabApp();
    app.start(stage);
    new AnimationTimer() {
      @Override
      public void handle(long now) {
        if (recording) {
          pulses.add(now);
        }
      }
    }.start();
  }

  @AfterEach
  void close() {
    interact(() -> app.stop());
    System.clearProperty("diffulab.runsDir");
  }

  @Test
  void pulseGapsWhileInteractingIdleAndDuringTheQuickTest() throws Exception {
    Label documents = lookup("#documentsLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !documents.getText().equals("–"));
    double[] idle = interactFor(10);
    clickOn("#quickTestButton");
    Label step = from(lookup("#trainWorkspace")).lookup("#stepLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> step.getText().matches(
        "Step [1-9]\\d{2,} / .*"));
    double[] training = interactFor(10);
    String trainedTo = step.getText();
    clickOn("#stopButton");
    System.out.println();
    System.out.println("pulse gaps (ms) while switching workspaces, resizing and dragging the"
        + " Masking slider, 10 s each");
    System.out.printf("%-22s %7s %7s %7s %7s %7s %7s%n", "", "frames", "p50", "p95", "p99",
        "max", ">50 ms");
    print("engine idle", idle);
    print("quick test training", training);
    System.out.println("training reached " + trainedTo);
  }

  /** Interacts for {@code seconds} and returns the gaps between pulses, in milliseconds. */
  private double[] interactFor(int seconds) throws Exception {
    TabPane tabs = lookup("#workspaces").queryAs(TabPane.class);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    pulses.clear();
    recording = true;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int k = 0;
    while (System.nanoTime() < end) {
      int i = k++;
      interact(() -> {
        if (i % 10 == 0) {
          tabs.getSelectionModel().select(i / 10 % 3);
        }
        stage.setWidth(i % 2 == 0 ? 1280 : 1180);
        slider.setValue(0.1 + 0.9 * (i % 20) / 19.0);
      });
      Thread.sleep(50);
    }
    recording = false;
    interact(() -> tabs.getSelectionModel().select(0));
    double[] gaps = new double[Math.max(0, pulses.size() - 1)];
    for (int i = 1; i < pulses.size(); i++) {
      gaps[i - 1] = (pulses.get(i) - pulses.get(i - 1)) / 1e6;
    }
    return gaps;
  }

  private static void print(String name, double[] gaps) {
    double[] s = gaps.clone();
    Arrays.sort(s);
    long slow = Arrays.stream(s).filter(g -> g > 50).count();
    System.out.printf("%-22s %7d %7.1f %7.1f %7.1f %7.1f %7d%n", name, s.length + 1, at(s, 0.5),
        at(s, 0.95), at(s, 0.99), s.length == 0 ? 0 : s[s.length - 1], slow);
  }

  private static double at(double[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
  }
}
