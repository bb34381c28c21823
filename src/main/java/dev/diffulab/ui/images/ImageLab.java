package dev.diffulab.ui.images;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.image.FashionMnist;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * What the three image workspaces share: the image model they show (the shipped demo, a
 * checkpoint opened, or the run the Train workspace just finished), and the real test pictures
 * the Noising workspace noises.
 */
public final class ImageLab {
  /** The image demo model's name among the shipped models. */
  public static final String DEMO = "demo-images";
  private final AppSession session;
  private final ReadOnlyObjectWrapper<LabService.ImageModelInfo> model = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(
      "No image model open: start a quick test, or open an image checkpoint.");
  private CompletableFuture<ImageSet> testSet;
  private final javafx.beans.property.BooleanProperty training = new javafx.beans.property.SimpleBooleanProperty(
      false);

  public ImageLab(AppSession session) {
    this.session = session;
  }

  AppSession session() {
    return session;
  }

  LabService service() {
    return session.service();
  }

  /** Opens the image checkpoint {@code dir} for all three workspaces; false if it is none. */
  public boolean open(Path dir) {
    try {
      LabService.ImageModelInfo info = LabService.readImageCheckpoint(dir);
      model.set(info);
      var m = info.manifest();
      label.set(String.format("Model: %s · %s, %,d parameters · step %,d · %d×%d, %d"
          + " classes · T = %d (%s, %s)", m.name(),
          info.config().model().transformer()
              ? "patch transformer"
              : "U-Net",
          m.parameters(), m.step(), m.height(),
          m.width(), m.classNames().length, info.config().diffusion().steps(),
          info.config().diffusion().schedule(), info.config().diffusion().prediction()));
      return true;
    } catch (RuntimeException e) {
      Errors.show("Opening image checkpoint " + dir, e);
      return false;
    }
  }

  /** Opens the shipped image demo model when this build carries one and none is open. */
  public void openDemoIfNone() {
    if (model.get() == null && DemoModels.availableImages().contains(DEMO)) {
      try {
        open(LabService.demoFolder(DEMO));
      } catch (RuntimeException e) {
        Errors.show("Opening the image demo model", e);
      }
    }
  }

  /**
   * True while an image run trains: the engine thread is the run's, so noising and sampling
   * wait for it.
   */
  public javafx.beans.property.BooleanProperty trainingProperty() {
    return training;
  }

  /** The open image model, or null. */
  public ReadOnlyObjectProperty<LabService.ImageModelInfo> modelProperty() {
    return model.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty labelProperty() {
    return label.getReadOnlyProperty();
  }

  /**
   * FashionMNIST's test pictures (Debian's package, else the shipped subset), read once off
   * the JavaFX thread.
   */
  synchronized CompletableFuture<ImageSet> testSet() {
    if (testSet == null) {
      testSet = CompletableFuture.supplyAsync(() -> FashionMnist.split(null, false));
    }
    return testSet;
  }
}
