package dev.diffulab.ui.shell;

import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.session.LabSession;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

/**
 * File → Save session and Open session: the lab's state in one file ({@link LabSession}). Opening
 * restores what it can — the Masking text and slider, the Denoise settings and traces — and says
 * in one message which of the files it refers to are missing; the rest is kept.
 */
public final class SessionActions {
  private final AppSession session;
  private final Stage stage;
  private final TrainWorkspaceView train;
  private final MaskingWorkspaceView masking;
  private final DenoiseWorkspaceView denoise;

  SessionActions(AppSession session, Stage stage, TrainWorkspaceView train,
      MaskingWorkspaceView masking, DenoiseWorkspaceView denoise) {
    this.session = session;
    this.stage = stage;
    this.train = train;
    this.masking = masking;
    this.denoise = denoise;
  }

  void chooseAndSave() {
    FileChooser fc = chooser("Save session");
    fc.setInitialFileName("lab." + LabSession.EXTENSION);
    File f = fc.showSaveDialog(stage);
    if (f != null) {
      save(f.toPath());
    }
  }

  void chooseAndOpen() {
    File f = chooser("Open session").showOpenDialog(stage);
    if (f != null) {
      open(f.toPath());
    }
  }

  private static FileChooser chooser(String title) {
    FileChooser fc = new FileChooser();
    fc.setTitle(title);
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("DiffuLab sessions",
        "*." + LabSession.EXTENSION));
    return fc;
  }

  /** The lab's state now. */
  public LabSession current() {
    ModelSnapshot m = masking.model().modelChoice().opened();
    Path b = session.compareSource();
    var config = train.model().config();
    return new LabSession(LabSession.FORMAT, m == null ? null : reference(m.source()),
        b == null ? null : reference(b.toString()), config.value("data.corpus").get(),
        config.value("data.tokenizer").get(), masking.state(), denoise.state());
  }

  /** A model's folder as a session names it: {@code demo:NAME} for a shipped demo. */
  private static String reference(String folder) {
    try {
      Path p = Path.of(folder).toAbsolutePath();
      if (p.getParent() != null
          && p.getParent().equals(DemoModels.cacheDir().toAbsolutePath())) {
        String name = p.getFileName().toString();
        int hash = name.lastIndexOf('-');
        String demo = hash > 0 ? name.substring(0, hash) : name;
        if (DemoModels.available().contains(demo)) {
          return LabSession.demo(demo);
        }
      }
      return p.toString();
    } catch (RuntimeException e) {
      return folder;
    }
  }

  public void save(Path file) {
    if (Files.isDirectory(file)) {
      Errors.show("Session: " + file + " is a folder; choose a file name");
      return;
    }
    try {
      current().write(file);
      Notices.saved(file);
    } catch (IOException | RuntimeException e) {
      Errors.show("Saving the session to " + file, e);
    }
  }

  /**
   * Restores a session. Returns when the models it names have opened (or failed to); a file that
   * cannot be read changes nothing.
   */
  public CompletableFuture<Void> open(Path file) {
    LabSession s;
    try {
      s = LabSession.read(file);
    } catch (InputException e) {
      Errors.show(e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    List<String> missing = s.missingFiles();
    java.util.Set<String> gone = s.missingPaths();
    var config = train.model().config();
    if (s.corpus() != null && !gone.contains(s.corpus())) {
      config.useCorpus("tinytales".equals(s.corpus()) ? null : Path.of(s.corpus()));
    }
    if (s.tokenizer() != null && !gone.contains(s.tokenizer())) {
      config.useTokenizer("tinytales".equals(s.tokenizer()) ? null : Path.of(s.tokenizer()));
    }
    masking.restore(s.masking());
    List<CompletableFuture<?>> opening = new ArrayList<>();
    opening.add(openModel(s.model(), gone, missing, false));
    opening.add(openModel(s.compareModel(), gone, missing, true));
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
        .whenComplete((r, e) -> session.ui().execute(() -> {
          // a model that opens brings its own sampler settings; the session's come after
          session.dispatcher().deliverNow();
          denoise.restore(s.denoise());
          if (!missing.isEmpty()) {
            Errors.show("Session " + file.getFileName() + " opened without what has moved or"
                + " gone — " + String.join("; ", missing)
                + ". Everything else is as it was saved.");
          } else {
            Notices.done("Session opened", file.getFileName().toString(), null);
          }
          done.complete(null);
        }));
    return done;
  }

  private CompletableFuture<?> openModel(String ref, java.util.Set<String> gone,
      List<String> missing, boolean compare) {
    if (ref == null || ref.isBlank()) {
      return CompletableFuture.completedFuture(null);
    }
    String demo = LabSession.demoName(ref);
    if (demo != null) {
      if (!DemoModels.available().contains(demo)) {
        missing.add((compare ? "comparison model" : "model") + ": demo " + demo
            + " (not in this build)");
        return CompletableFuture.completedFuture(null);
      }
      return (compare ? session.openCompareDemo(demo) : session.openDemo(demo))
          .exceptionally(e -> null);
    }
    if (gone.contains(ref)) {
      return CompletableFuture.completedFuture(null);
    }
    Path dir = Path.of(ref);
    return (compare ? session.openCompareCheckpoint(dir) : session.openCheckpoint(dir))
        .exceptionally(e -> null);
  }
}
