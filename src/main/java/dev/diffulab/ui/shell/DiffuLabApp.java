package dev.diffulab.ui.shell;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.FrameDispatcher;
import dev.diffulab.ui.common.FxFrameClock;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The DiffuLab window. It shows at once; DJL loads on the engine thread behind it and the status
 * bar moves from loading to ready. The model named by {@code --checkpoint} opens, or else the
 * shipped demo model (not when the system property {@code diffulab.openDemo} is false).
 */
public final class DiffuLabApp extends Application {
  private AppSession session;
  private FxFrameClock clock;
  private ShellView shell;

  @Override
  public void start(Stage stage) {
    AppArguments args;
    String argumentError = null;
    try {
      args = AppArguments.parse(getParameters() == null
          ? java.util.List.of()
          : getParameters().getRaw());
    } catch (InputException e) {
      args = new AppArguments(null, null, null, DeviceChoice.AUTO);
      argumentError = e.getMessage();
    }
    FrameDispatcher dispatcher = new FrameDispatcher();
    session = new AppSession(args.device(), dispatcher, Platform::runLater).start();
    shell = new ShellView(session, stage, runsDir());
    shell.setFolderOpener(folder -> getHostServices().showDocument(folder.toUri().toString()));
    Scene scene = new Scene(shell.root(), 1280, 820);
    dev.diffulab.ui.common.UserPrefs.restoreAppearance();
    dev.diffulab.ui.theme.Appearance.attach(scene); // follows View → Theme and the text size
    stage.setTitle("DiffuLab");
    try (var icon = DiffuLabApp.class.getResourceAsStream("/assets/icon.png")) {
      if (icon != null) {
        stage.getIcons().add(new javafx.scene.image.Image(icon));
      }
    } catch (java.io.IOException e) {
      // the window keeps the system's default icon
    }
    stage.setScene(scene);
    stage.setMinWidth(900);
    stage.setMinHeight(600);
    shell.restoreWindow();
    stage.show();
    clock = new FxFrameClock(dispatcher);
    clock.start();
    if (argumentError != null) {
      Errors.show(argumentError);
    }
    // files named on the command line become the Train settings' corpus and tokenizer
    var config = shell.train().model().config();
    if (args.tokenizer() != null) {
      config.useTokenizer(args.tokenizer());
    }
    if (args.corpus() != null) {
      config.useCorpus(args.corpus());
    }
    config.showCorpus(); // the statistics of what Train will read
    if (args.checkpoint() == null) {
      shell.restoreFamily();
    }
    if (args.checkpoint() != null) {
      shell.openCheckpoint(args.checkpoint()); // an image checkpoint opens the image family
    } else if (!"false".equals(System.getProperty("diffulab.openDemo"))
        && dev.diffulab.core.checkpoint.DemoModels.available().contains("demo")) {
      // a first look needs a model that has learned something: the shipped demo opens at once
      session.openDemo("demo");
    }
  }

  /** Where runs keep their checkpoints: {@code ~/.diffulab/runs}, or {@code diffulab.runsDir}. */
  static java.nio.file.Path runsDir() {
    String override = System.getProperty("diffulab.runsDir");
    return override != null
        ? java.nio.file.Path.of(override)
        : java.nio.file.Path.of(System.getProperty("user.home"), ".diffulab", "runs");
  }

  public AppSession session() {
    return session;
  }

  public ShellView shell() {
    return shell;
  }

  @Override
  public void stop() {
    if (shell != null) {
      shell.saveWindow();
      shell.train().model().saveSettings();
    }
    if (clock != null) {
      clock.stop();
    }
    if (session != null) {
      session.close();
    }
  }
}
