package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.images.ImageLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The image family in the window, driven as a person would: pick it, run a quick test (a tiny
 * U-Net here) and see the loss, the loss by t and a sample grid appear; drag the noise slider
 * over a real picture; generate, compare two samplers and scrub the run; go back to text.
 */
class ImageWorkspacesUiTest extends AppUiTest {
  private static Path dir;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyImageQuickTest() throws Exception {
    dir = Files.createTempDirectory("diffulab-images-ui");
    Path quick = dir.resolve("quick-images.json");
    Files.writeString(quick, """
        {"name": "tiny-images", "seed": 4,
         "model": {"channels": 8, "class_conditional": true, "label_dropout": 0.2},
         "diffusion": {"steps": 50, "schedule": "cosine", "prediction": "epsilon", "loss": "mse"},
         "train": {"steps": 60, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 10},
         "sampler": {"steps": 10, "eta": 0.0, "guidance": 2.0, "num_samples": 16,
                     "guidance_interval": [0.5, 1.0]},
         "data": {"source": "fashion-mnist", "limit": 400}}
        """);
    System.setProperty("diffulab.imageQuickTestConfig", quick.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
  }

  @AfterAll
  static void clear() {
    System.clearProperty("diffulab.imageQuickTestConfig");
    System.clearProperty("diffulab.runsDir");
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  @Test
  void quickTestNoisingAndDenoiseForPictures() throws Exception {
    interact(() -> menuItem(stage, "imageFamilyItem").fire());
    TabPane tabs = lookup("#workspaces").queryAs(TabPane.class);
    assertEquals("Noising", tabs.getTabs().get(1).getText());
    ImageLab lab = app.shell().imageLab();

    // Train: a quick test shows its loss, the loss by t and samples, then becomes the model
    clickOn("#trainTab");
    // Ctrl+Enter is the quick test of the family on show
    press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.ENTER)
        .release(javafx.scene.input.KeyCode.ENTER).release(javafx.scene.input.KeyCode.CONTROL);
    WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> lab.modelProperty().get() != null
        && lab.modelProperty().get().dir().startsWith(dir)
        && lookup("#imageStopButton").queryAs(Button.class).isDisabled()
        && lookup("#imageSampleGrid").queryAs(ImageView.class).getImage() != null);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(errors.isEmpty(), errors.toString());
    LiveLineChart loss = lookup("#imageLossChart").queryAs(LiveLineChart.class);
    assertEquals(60, loss.series().get(0).getItemCount(), "one point a step");
    LiveLineChart byT = lookup("#imageLossByTChart").queryAs(LiveLineChart.class);
    assertEquals(10, byT.series().get(0).getItemCount(), "ten buckets of t");
    LiveLineChart snr = lookup("#imageSnrChart").queryAs(LiveLineChart.class);
    assertEquals(50, snr.series().get(0).getItemCount(), "SNR(t) at every t of T = 50");
    assertTrue(
        snr.series().get(0).getY(0).doubleValue() > snr.series().get(0).getY(49).doubleValue(),
        "SNR falls with t");
    LiveLineChart quality = lookup("#imageQualityChart").queryAs(LiveLineChart.class);
    assertTrue(quality.series().get(0).getItemCount() >= 1, "recognisable fraction plotted");
    String status = lookup("#imageTrainStatus").queryAs(Label.class).getText();
    assertTrue(status.contains("finished at step 60"), status);
    assertTrue(Files.isRegularFile(dir.resolve("runs/tiny-images/model.params")));

    // Noising: the slider moves along the forward process of the model just trained
    clickOn("#maskingTab");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> lookup("#noisingNoisy").queryAs(ImageView.class).getImage() != null);
    Label reading = lookup("#noisingReading").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> reading.getText().contains("t = 25"));
    Image before = lookup("#noisingNoisy").queryAs(ImageView.class).getImage();
    Slider slider = lookup("#noiseSlider").queryAs(Slider.class);
    interact(() -> slider.setValue(90));
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> reading.getText().contains("t = 45 of 50"));
    assertNotEquals(before, lookup("#noisingNoisy").queryAs(ImageView.class).getImage());
    assertNotNull(lookup("#noisingDenoised").queryAs(ImageView.class).getImage());
    assertNotNull(lookup("#noisingPredictedNoise").queryAs(ImageView.class).getImage());
    LiveLineChart curve = lookup("#noisingCurveChart").queryAs(LiveLineChart.class);
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> curve.series().get(0).getItemCount() == 28);
    assertEquals(45.0, curve.series().get(2).getX(0).doubleValue(), "the slider's t marked");

    // Denoise: A (DDIM, 5 steps) beside B (10 steps with noise), scrubbed from noise to pictures
    clickOn("#denoiseTab");
    // the model guides only part of the steps: the box says which, ticked, and can be cleared
    CheckBox interval = lookup("#imageGuidanceIntervalCheck").queryAs(CheckBox.class);
    assertTrue(interval.isVisible() && interval.isSelected(), "shown and ticked");
    assertTrue(interval.getText().matches("only t/T 0.50–1.00|only t/T 0,50–1,00"),
        interval.getText());
    interact(() -> {
      lookup("#imageStepsA").queryAs(Spinner.class).getValueFactory().setValue(5);
      lookup("#imageCompareCheck").queryAs(CheckBox.class).setSelected(true);
      lookup("#imageStepsB").queryAs(Spinner.class).getValueFactory().setValue(10);
    });
    clickOn("#imageGenerateButton");
    Label scrub = lookup("#imageScrubLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> scrub.getText().contains("B:"));
    assertTrue(scrub.getText().startsWith("A: finished (5 steps)"), scrub.getText());
    Image finished = lookup("#denoiseNoisyA").queryAs(ImageView.class).getImage();
    Slider scrubber = lookup("#imageScrubber").queryAs(Slider.class);
    interact(() -> scrubber.setValue(0));
    assertTrue(scrub.getText().contains("A: step 1 of 5 (t = 50)"), scrub.getText());
    assertTrue(scrub.getText().contains("B: step 1 of 10 (t = 50)"), scrub.getText());
    assertNotEquals(finished, lookup("#denoiseNoisyA").queryAs(ImageView.class).getImage());
    assertTrue(errors.isEmpty(), errors.toString());

    assertFalse(app.shell().train().model().runningProperty().get(),
        "Ctrl+Enter did not start the hidden text quick test");
    // back to text: the text workspaces come back as they were
    interact(() -> menuItem(stage, "textFamilyItem").fire());
    assertEquals("Masking", tabs.getTabs().get(1).getText());
    assertFalse(lookup("#maskingWorkspace").queryAll().isEmpty());
    assertTrue(lookup("#imageNoisingWorkspace").queryAll().isEmpty());
  }

  @Test
  void aFolderOfTheirOwnPicturesTrainsWithTheQuickTestsRecipe() throws Exception {
    Path pictures = dir.resolve("my pictures");
    java.util.Random r = new java.util.Random(3);
    for (String kind : new String[]{"circles", "squares"}) {
      Path d = Files.createDirectories(pictures.resolve(kind));
      for (int i = 0; i < 12; i++) {
        var img = new java.awt.image.BufferedImage(20, 24,
            java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        int x = r.nextInt(8);
        if (kind.equals("circles")) {
          g.fillOval(x, x, 10, 10);
        } else {
          g.fillRect(x, x, 10, 10);
        }
        g.dispose();
        javax.imageio.ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
      }
    }
    interact(() -> menuItem(stage, "imageFamilyItem").fire());
    clickOn("#trainTab");
    var view = lookup("#imageTrainWorkspace").queryAs(
        dev.diffulab.ui.images.ImageTrainView.class);
    interact(() -> view.trainOnFolder(dir.resolve("nowhere")));
    assertTrue(errors.size() == 1 && errors.getFirst().contains("is not a folder"),
        errors.toString());
    errors.clear();
    interact(() -> view.trainOnFolder(pictures));
    Label status = lookup("#imageTrainStatus").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS,
        () -> status.getText().contains("finished at step 60")
            && lookup("#imageStopButton").queryAs(Button.class).isDisabled());
    assertTrue(errors.isEmpty(), errors.toString());
    Path run = dir.resolve("runs/folder-my_pictures");
    assertTrue(Files.isRegularFile(run.resolve("model.params")), status.getText());
    String manifest = Files.readString(run.resolve("image-manifest.json"));
    assertTrue(manifest.contains("circles") && manifest.contains("squares"), manifest);
    interact(() -> menuItem(stage, "textFamilyItem").fire());
  }
}
