package dev.diffulab.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.diffulab.ui.shell.DiffuLabApp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A long session in one window: ten quick tests one after the other (the quick-test model, cut to
 * {@code diffulab.bench.quickSteps} steps, 150 by default), then 1,000 moves of the Masking slider
 * with the demo model open, then quitting mid-training. Prints heap after a collection, the
 * process's resident memory, its thread count and the engine's live tensors after each stage, and
 * how long quitting took after the run's checkpoint. Asserts nothing about the figures. Run with
 * {@code ./mvnw -Pbench verify -Dtest=LongSessionBenchmark}.
 */
@Tag("benchmark")
class LongSessionBenchmark extends ApplicationTest {
  private DiffuLabApp app;
  private Stage stage;

  @Override
  public void start(Stage stage) throws Exception {
    Path dir = Files.createTempDirectory("diffulab-long");
    JsonObject quick = JsonParser.parseString(Files.readString(Path.of(
        "sample-configs/quick-test.json"))).getAsJsonObject();
    JsonObject train = quick.getAsJsonObject("train");
    train.addProperty("steps", Integer.getInteger("diffulab.bench.quickSteps", 150));
    train.addProperty("eval_every", 50);
    train.addProperty("sample_every", 50);
    Path config = dir.resolve("quick.json");
    Files.writeString(config, quick.toString());
    System.setProperty("diffulab.quickTestConfig", config.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
    this.stage = stage;
    app = new DiffuLabApp();
    app.start(stage);
  }

  @AfterEach
  void close() {
    if (app != null) {
      interact(() -> app.stop());
    }
    System.clearProperty("diffulab.quickTestConfig");
    System.clearProperty("diffulab.runsDir");
  }

  @Test
  void tenQuickTestsAThousandSliderMovesAndQuittingMidRun() throws Exception {
    Label documents = lookup("#documentsLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !documents.getText().equals("–"));
    System.out.println();
    System.out.printf("%-26s %9s %9s %8s %9s%n", "after", "heap MB", "RSS MB", "threads",
        "tensors");
    print("start");
    Button quick = lookup("#quickTestButton").queryAs(Button.class);
    for (int i = 1; i <= 10; i++) {
      interact(quick::fire);
      WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
          () -> app.shell().train().model().runningProperty().get());
      WaitForAsyncUtils.waitFor(30, TimeUnit.MINUTES,
          () -> !app.shell().train().model().runningProperty().get());
      print("quick test " + i);
    }
    interact(() -> app.session().openDemo("demo"));
    Label model = lookup("#maskModelLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> model.getText().startsWith("Model: demo"));
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    for (int i = 0; i < 1000; i++) {
      int k = i;
      interact(() -> slider.setValue(0.1 + 0.9 * ((k * 37) % 100) / 99.0));
      if (i % 100 == 99) {
        WaitForAsyncUtils.waitForFxEvents();
      }
    }
    Thread.sleep(3000); // the last prediction lands
    print("1,000 slider moves");

    // quit while a run trains: Stop and quit, then the window closes after the checkpoint
    interact(quick::fire);
    Label step = from(lookup("#trainWorkspace")).lookup("#stepLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> step.getText().matches(
        "Step [1-9]\\d* / .*"));
    interact(() -> stage.fireEvent(new javafx.stage.WindowEvent(stage,
        javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
    long asked = System.nanoTime();
    clickOn("#stopAndQuitButton");
    long[] stopped = {0};
    app.shell().train().model().runningProperty().addListener((o, a, b) -> {
      if (!b) {
        stopped[0] = System.nanoTime();
      }
    });
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !stage.isShowing());
    long hidden = System.nanoTime();
    long closing = System.nanoTime();
    interact(() -> app.stop());
    app = null;
    long closed = System.nanoTime();
    System.out.printf("quit mid-run: run stopped and checkpoint written %.2f s after Stop and"
        + " quit; window hidden %.2f s after the checkpoint; engine closed in %.2f s%n",
        stopped[0] == 0 ? Double.NaN : (stopped[0] - asked) / 1e9,
        stopped[0] == 0 ? Double.NaN : (hidden - stopped[0]) / 1e9, (closed - closing) / 1e9);
  }

  private void print(String stage) throws Exception {
    System.gc();
    Thread.sleep(300);
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    long rss = 0;
    try {
      rss = Long.parseLong(Files.readString(Path.of("/proc/self/statm")).trim().split(" ")[1])
          * 4096 >> 20;
    } catch (Exception e) {
      // not Linux
    }
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    int tensors = app.session().service().liveArrays().get(60, TimeUnit.SECONDS);
    System.out.printf("%-26s %9d %9d %8d %9d%n", stage, heap, rss, threads, tensors);
  }
}
