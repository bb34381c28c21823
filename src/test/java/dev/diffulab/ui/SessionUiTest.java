package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.session.LabSession;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File → Save session / Open session: the open model, the Masking text and slider, the Denoise
 * settings and recorded traces come back as they were; a session whose files moved opens with
 * one message naming what is missing and keeps the rest.
 */
class SessionUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private static DenoiseTrace trace() {
    List<String> vocab = List.of("[MASK]", "Tom", "ran", ".");
    TraceStep s0 = new TraceStep(0, 1, new int[]{0, 0, 0}, new TokenState[]{TokenState.MASKED,
        TokenState.MASKED, TokenState.MASKED}, new float[3], new float[3],
        new int[][]{{1}, {2}, {3}}, new float[][]{{0.5f}, {0.5f}, {0.5f}});
    TraceStep s1 = new TraceStep(1, 0, new int[]{1, 2, 3}, new TokenState[]{TokenState.REVEALED,
        TokenState.REVEALED, TokenState.REVEALED}, new float[]{0.9f, 0.8f, 0.7f}, new float[3],
        new int[][]{{1}, {2}, {3}}, new float[][]{{0.9f}, {0.8f}, {0.7f}});
    return new DenoiseTrace("masked", "1 step", 5, vocab, 0, List.of(s0, s1), "Tom ran.");
  }

  @Test
  void aSavedSessionComesBackAsItWasLeft() throws Exception {
    interact(() -> app.session().openDemo("demo"));
    Label model = lookup("#maskModelLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> model.getText().startsWith("Model: demo"));
    TextArea text = lookup("#maskText").queryAs(TextArea.class);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    TextField seed = lookup("#seedField").queryAs(TextField.class);
    @SuppressWarnings("unchecked")
    Spinner<Integer> steps = lookup("#stepsSpinner").queryAs(Spinner.class);
    DenoiseWorkspaceView denoise = lookup("#denoiseWorkspace").queryAs(DenoiseWorkspaceView.class);
    interact(() -> {
      text.setText("Tom ran to the park. He was happy.");
      slider.setValue(0.6);
      seed.setText("42");
      steps.getValueFactory().setValue(77);
      denoise.model().show(List.of(trace(), trace()), List.of());
    });
    Path file = dir.resolve("lab." + LabSession.EXTENSION);
    interact(() -> app.shell().sessions().save(file));
    assertTrue(Files.isRegularFile(file));

    interact(() -> {
      text.setText("Something else.");
      slider.setValue(0.2);
      seed.setText("1");
      steps.getValueFactory().setValue(12);
      denoise.model().show(List.of(), List.of());
    });
    AtomicReference<java.util.concurrent.CompletableFuture<Void>> opened = new AtomicReference<>();
    interact(() -> opened.set(app.shell().sessions().open(file)));
    opened.get().get(120, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("Tom ran to the park. He was happy.", text.getText());
    assertEquals(0.6, slider.getValue(), 1e-9);
    assertEquals("42", seed.getText());
    assertEquals(77, steps.getValue());
    assertEquals(2, denoise.model().tracesAProperty().get().size());
    assertEquals("Tom ran.", denoise.model().tracesAProperty().get().get(0).finalText());
    assertTrue(model.getText().startsWith("Model: demo"), model.getText());
    assertEquals(List.of(), errors);
  }

  @Test
  void aSessionWhoseFilesMovedSaysWhatIsMissingAndKeepsTheRest() throws Exception {
    Path gone = dir.resolve("moved-checkpoint");
    Path corpus = dir.resolve("moved.txt");
    LabSession s = new LabSession(LabSession.FORMAT, gone.toString(), null, corpus.toString(),
        "tinytales", new LabSession.Masking("The cat sat on the mat.", 0.5, 9, 0), null);
    Path file = dir.resolve("old." + LabSession.EXTENSION);
    s.write(file);
    String corpusBefore = app.shell().train().model().config().value("data.corpus").get();
    AtomicReference<java.util.concurrent.CompletableFuture<Void>> opened = new AtomicReference<>();
    interact(() -> opened.set(app.shell().sessions().open(file)));
    opened.get().get(60, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains(gone.toString()) && errors.get(0).contains(
        corpus.toString()), errors.get(0));
    assertEquals("The cat sat on the mat.",
        lookup("#maskText").queryAs(TextArea.class).getText());
    assertEquals(0.5, lookup("#maskSlider").queryAs(Slider.class).getValue(), 1e-9);
    assertEquals(corpusBefore,
        app.shell().train().model().config().value("data.corpus").get(),
        "the corpus that was in use stays");
  }

  @Test
  void aDamagedSessionChangesNothing() throws Exception {
    Path file = dir.resolve("bad." + LabSession.EXTENSION);
    Files.writeString(file, "{\"format\": 1, \"masking\": {\"ratio\": 3}}");
    TextArea text = lookup("#maskText").queryAs(TextArea.class);
    String before = text.getText();
    interact(() -> app.shell().sessions().open(file));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).contains("masking.ratio") && errors.get(0).contains("bad."),
        errors.get(0));
    assertEquals(before, text.getText());
  }
}
