package dev.diffulab.ui.shell;

import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import dev.diffulab.ui.common.UserPrefs;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

/** The window's frame: menu, the three workspaces as tabs, and the status bar. */
public final class ShellView {
  private final AppSession session;
  private final Stage stage;
  private final ShellViewModel model = new ShellViewModel();
  private final BorderPane root = new BorderPane();
  private final TabPane tabs = new TabPane();
  private final TrainWorkspaceView train;
  private final dev.diffulab.ui.help.GuideBanner guide;
  private final SessionActions sessions;
  private final NoticeDisplay notices;
  private final Path runsDir;
  private final dev.diffulab.ui.images.ImageLab imageLab;
  private final Node[] textWorkspaces;
  private Node[] imageWorkspaces;
  private dev.diffulab.ui.images.ImageTrainView imageTrain;
  private final javafx.scene.control.ChoiceBox<String> family = new javafx.scene.control.ChoiceBox<>();
  /** The families' two kinds of workspaces, as the family choice names them. */
  static final String TEXT = "Text · masked, CDCD, latent, autoregressive";
  static final String IMAGES = "Images · Gaussian (DDPM / DDIM)";
  private static final String FAMILY_PREF = "family";

  public ShellView(AppSession session, Stage stage,
      Path runsDir) {
    this.session = session;
    this.stage = stage;
    this.runsDir = runsDir;
    this.imageLab = new dev.diffulab.ui.images.ImageLab(session);
    tabs.setId("workspaces");
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    train = new TrainWorkspaceView(session, runsDir);
    MaskingWorkspaceView masking = new MaskingWorkspaceView(session);
    DenoiseWorkspaceView denoise = new DenoiseWorkspaceView(session);
    tabs.getTabs().addAll(
        tab("Train", "trainTab", train),
        tab("Masking", "maskingTab", masking),
        tab("Denoise", "denoiseTab", denoise));
    textWorkspaces = new Node[]{train, masking, denoise};
    sessions = new SessionActions(session, stage, train, masking, denoise);
    dev.diffulab.ui.help.Tips.install(tabs); // one sentence on every control
    guide = new dev.diffulab.ui.help.GuideBanner(this::showMe, this::concepts);
    root.setTop(new javafx.scene.layout.VBox(menuBar(), guide));
    family.setId("familyChoice");
    family.getItems().addAll(TEXT, IMAGES);
    family.getSelectionModel().select(TEXT);
    family.setTooltip(new javafx.scene.control.Tooltip("Which kind of diffusion the three"
        + " workspaces show: over tokens (masked diffusion and CDCD) or over pictures (Gaussian"
        + " DDPM / DDIM)."));
    family.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showFamily(b));
    Label familyLabel = new Label("Family");
    javafx.scene.layout.HBox familyBox = new javafx.scene.layout.HBox(6, familyLabel, family);
    familyBox.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
    familyBox.setPickOnBounds(false);
    familyBox.setMaxSize(javafx.scene.layout.Region.USE_PREF_SIZE,
        javafx.scene.layout.Region.USE_PREF_SIZE);
    javafx.scene.layout.StackPane center = new javafx.scene.layout.StackPane(tabs, familyBox);
    javafx.scene.layout.StackPane.setAlignment(familyBox, javafx.geometry.Pos.TOP_RIGHT);
    javafx.scene.layout.StackPane.setMargin(familyBox, new javafx.geometry.Insets(2, 8, 0, 0));
    root.setCenter(center);
    root.setBottom(statusBar());
    session.dispatcher().subscribe(EngineStatus.class, model::accept);
    notices = new NoticeDisplay(stage, model);
    session.setSaveChooser(problem -> RescueDialog.choose(stage, problem));
    Errors.setDisplay(this::showError);
    Notices.setDisplay(notices::show);
    acceptDroppedFiles();
    stage.setOnCloseRequest(e -> {
      var run = train.model();
      if (run.runningProperty().get()) {
        e.consume();
        confirmQuitWhileTraining("A run is still training (" + run.stepTextProperty().get()
            + ")", run.runningProperty(), run::stop);
      } else if (imageTrain != null && imageTrain.runningProperty().get()) {
        e.consume();
        confirmQuitWhileTraining("An image run is still training",
            imageTrain.runningProperty(), imageTrain::stop);
      }
    });
  }

  /** Which family's workspaces the tabs show: {@link #TEXT} or {@link #IMAGES}. */
  public void showFamily(String which) {
    boolean images = IMAGES.equals(which);
    if (!which.equals(family.getValue())) {
      family.setValue(which); // comes back here through the listener
      return;
    }
    if (images && imageWorkspaces == null) {
      imageTrain = new dev.diffulab.ui.images.ImageTrainView(session, imageLab, runsDir);
      imageWorkspaces = new Node[]{imageTrain,
          new dev.diffulab.ui.images.ImageNoisingView(session, imageLab),
          new dev.diffulab.ui.images.ImageDenoiseView(session, imageLab)};
      dev.diffulab.ui.help.Tips.install(tabs);
    }
    Node[] shown = images ? imageWorkspaces : textWorkspaces;
    for (int i = 0; i < 3; i++) {
      tabs.getTabs().get(i).setContent(shown[i]);
    }
    tabs.getTabs().get(1).setText(images ? "Noising" : "Masking");
    if (images) {
      imageLab.openDemoIfNone();
    }
    UserPrefs.node().ifPresent(p -> p.put(FAMILY_PREF, images ? "images" : "text"));
  }

  /** The family shown last time (text when none was kept). */
  public void restoreFamily() {
    UserPrefs.node().ifPresent(p -> {
      if ("images".equals(p.get(FAMILY_PREF, "text"))) {
        showFamily(IMAGES);
      }
    });
  }

  /** The image workspaces' shared state (their model). */
  public dev.diffulab.ui.images.ImageLab imageLab() {
    return imageLab;
  }

  /** Opens a checkpoint folder of either kind in the workspaces of its family. */
  public void openCheckpoint(Path dir) {
    if (dev.diffulab.core.checkpoint.Modality
        .of(dir) == dev.diffulab.core.checkpoint.Modality.IMAGES) {
      showFamily(IMAGES);
      imageLab.open(dir);
    } else {
      if (IMAGES.equals(family.getValue())) {
        showFamily(TEXT);
      }
      session.openCheckpoint(dir);
    }
  }

  /**
   * Quitting while a run trains asks first; quitting then stops the run and closes the window
   * once its checkpoint is written, however long the current step takes.
   */
  private void confirmQuitWhileTraining(String header,
      javafx.beans.value.ObservableBooleanValue running, Runnable stop) {
    ButtonType keep = new ButtonType("Keep training", ButtonBar.ButtonData.CANCEL_CLOSE);
    ButtonType quit = new ButtonType("Stop and quit", ButtonBar.ButtonData.OK_DONE);
    Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", keep, quit);
    a.initOwner(stage);
    a.setTitle("DiffuLab");
    Appearance.style(a.getDialogPane());
    a.setHeaderText(header);
    a.setContentText("Quitting stops it at the end of its current step and writes its"
        + " checkpoint before the window closes.");
    a.getDialogPane().lookupButton(quit).setId("stopAndQuitButton");
    a.setOnHidden(e -> {
      if (a.getResult() == quit) {
        model.tell("Stopping the run and writing its checkpoint…");
        stop.run();
        if (!running.get()) {
          stage.close();
        } else {
          running.addListener((o, was, now) -> {
            if (!now) {
              stage.close();
            }
          });
        }
      }
    });
    a.show();
  }

  public BorderPane root() {
    return root;
  }

  public ShellViewModel model() {
    return model;
  }

  /** Saving and opening sessions (File menu). */
  public SessionActions sessions() {
    return sessions;
  }

  public TrainWorkspaceView train() {
    return train;
  }

  /** Puts the window and workspace where the person left them last time. */
  public void restoreWindow() {
    WindowPrefs.restore(stage, tabs);
  }

  /** Keeps the window's size, position and workspace for next time. */
  public void saveWindow() {
    WindowPrefs.save(stage, tabs);
  }

  private static Tab tab(String title, String id, Node content) {
    Tab t = new Tab(title, content);
    t.setId(id);
    return t;
  }

  private MenuBar menuBar() {
    var config = train.model().config();
    MenuItem openCorpus = item("Open corpus…", "openCorpusItem", "Shortcut+O",
        () -> train.corpusPanel().chooseCorpus().ifPresent(config::useCorpus));
    MenuItem embedded = item("Use embedded TinyTales", "tinyTalesItem", null,
        () -> config.useCorpus(null));
    MenuItem openTokenizer = item("Open tokenizer…", "openTokenizerItem", "Shortcut+T",
        () -> train.corpusPanel().chooseTokenizer().ifPresent(config::useTokenizer));
    MenuItem shippedTokenizer = item("Use shipped TinyTales tokenizer", "shippedTokenizerItem",
        null, () -> config.useTokenizer(null));
    MenuItem openConfig = item("Open config…", "openConfigItem", "Shortcut+L",
        train::chooseAndOpenConfig);
    MenuItem saveConfig = item("Save config as…", "saveConfigItem", null,
        train::chooseAndSaveConfig);
    MenuItem openCheckpoint = item("Open checkpoint…", "openCheckpointItem", "Shortcut+Shift+O",
        () -> {
          javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
          dc.setTitle("Open checkpoint directory");
          File d = dc.showDialog(stage);
          if (d != null) {
            openCheckpoint(d.toPath());
          }
        });
    MenuItem export = item("Export view as PNG…", "exportItem", "Shortcut+E", this::exportPng);
    MenuItem device = item("GPU and device…", "deviceItem", null,
        () -> new DeviceDialog(stage, model, () -> train.model().runningProperty().get()).show());
    MenuItem openSession = item("Open session…", "openSessionItem", null,
        sessions::chooseAndOpen);
    MenuItem saveSession = item("Save session as…", "saveSessionItem", "Shortcut+Shift+S",
        sessions::chooseAndSave);
    MenuItem quit = item("Quit", "quitItem", "Shortcut+Q", () -> stage.fireEvent(
        new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
    MenuItem openCheckpointToo = item("Open checkpoint…", "modelsOpenCheckpointItem", null,
        openCheckpoint.getOnAction() == null ? () -> {
        } : () -> openCheckpoint.fire());
    Menu models = new ModelsMenu(session, () -> train.model().runs(), openCheckpointToo,
        () -> showFamily(TEXT), name -> {
          showFamily(IMAGES);
          imageLab.open(dev.diffulab.engine.LabService.demoFolder(name));
        }).menu();
    Menu file = new Menu("File", null, openCorpus, embedded, openTokenizer, shippedTokenizer,
        new SeparatorMenuItem(), openConfig, saveConfig, new SeparatorMenuItem(), openCheckpoint,
        new RecentMenu(session, train).menu(),
        new SeparatorMenuItem(), openSession, saveSession,
        new SeparatorMenuItem(), export, device,
        new SeparatorMenuItem(), quit);
    Menu view = new Menu("View");
    for (int i = 0; i < tabs.getTabs().size(); i++) {
      int k = i;
      view.getItems().add(item(tabs.getTabs().get(i).getText(), null, "Shortcut+" + (i + 1),
          () -> tabs.getSelectionModel().select(k)));
    }
    view.getItems().addAll(new SeparatorMenuItem(),
        item("Text families", "textFamilyItem", "Shortcut+Shift+1", () -> showFamily(TEXT)),
        item("Image family", "imageFamilyItem", "Shortcut+Shift+2", () -> showFamily(IMAGES)),
        new SeparatorMenuItem());
    view.getItems().addAll(AppearanceMenu.items());
    Menu help = new Menu("Help", null,
        item("Concepts", "conceptsItem", "F1", this::concepts),
        item("Getting started", "guideItem", null, () -> guide.reopen()),
        new SeparatorMenuItem(),
        item("About DiffuLab", "aboutItem", null, this::about));
    MenuBar bar = new MenuBar(file, models, view, help);
    bar.setId("menuBar");
    return bar;
  }

  private static MenuItem item(String text, String id, String accelerator, Runnable action) {
    MenuItem m = new MenuItem(text);
    if (id != null) {
      m.setId(id);
    }
    if (accelerator != null) {
      m.setAccelerator(KeyCombination.keyCombination(accelerator));
    }
    m.setOnAction(e -> action.run());
    return m;
  }

  private StatusBar statusBar() {
    StatusBar bar = new StatusBar();
    bar.setId("statusBar");
    bar.textProperty().bind(model.stateProperty());
    Label message = label("statusMessage", model.messageProperty());
    Label device = label("deviceLabel", model.deviceProperty());
    Label versions = label("versionsLabel", model.versionsProperty());
    Label memory = label("memoryLabel", model.memoryProperty());
    // a gap and a rule between the last message and the engine state, which the status bar
    // otherwise sets right against it ("…on the CPU Ready")
    javafx.scene.control.Separator rule = new javafx.scene.control.Separator(
        javafx.geometry.Orientation.VERTICAL);
    rule.setPadding(new javafx.geometry.Insets(0, 4, 0, 8));
    bar.getLeftItems().addAll(message, rule);
    bar.getRightItems().addAll(device, versions, memory);
    // animated only while the engine starts: a long task shows its own progress in its
    // workspace, and an indeterminate bar repaints every frame — CPU taken from training
    model.loadingProperty().addListener((o, was, now) -> bar.setProgress(now ? -1 : 0));
    DeviceDialog.showDownloadProgress(model);
    bar.setProgress(model.loadingProperty().get() ? -1 : 0);
    return bar;
  }

  private static Label label(String id, javafx.beans.value.ObservableValue<String> text) {
    Label l = new Label();
    l.setId(id);
    l.textProperty().bind(text);
    l.getStyleClass().add("status-item");
    return l;
  }

  /** Corpus, tokenizer and config files dropped anywhere on the window go to the Train settings. */
  private void acceptDroppedFiles() {
    root.setOnDragOver(e -> {
      if (e.getDragboard().hasFiles()) {
        e.acceptTransferModes(TransferMode.COPY);
      }
      e.consume();
    });
    root.setOnDragDropped(e -> {
      train.acceptFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
      e.setDropCompleted(true);
      e.consume();
    });
  }

  private void exportPng() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Export view as PNG");
    fc.setInitialFileName(tabs.getSelectionModel().getSelectedItem().getText().toLowerCase()
        + ".png");
    File f = fc.showSaveDialog(stage);
    if (f != null) {
      try {
        dev.diffulab.ui.chart.ChartExport.png(tabs.getSelectionModel().getSelectedItem()
            .getContent(), f.toPath());
        model.tell("Saved " + f.getName());
        Notices.saved(f.toPath());
      } catch (IOException ex) {
        Errors.show("Exporting " + f.getName(), ex);
      }
    }
  }

  private void concepts() {
    dev.diffulab.ui.help.ConceptsWindow.show(stage);
  }

  /** The guide's "show me": opens workspace {@code k} and focuses the control it names. */
  private void showMe(int k) {
    tabs.getSelectionModel().select(k);
    boolean images = IMAGES.equals(family.getValue());
    String id = switch (k) {
      case 0 -> images ? "#imageQuickTestButton" : "#quickTestButton";
      case 1 -> images ? "#noiseSlider" : "#maskSlider";
      default -> images ? "#imageGenerateButton" : "#generateButton";
    };
    javafx.application.Platform.runLater(() -> {
      Node n = tabs.getTabs().get(k).getContent().lookup(id);
      if (n != null) {
        n.requestFocus();
      }
    });
  }

  private void about() {
    EngineStatus s = model.last();
    Alert a = new Alert(Alert.AlertType.INFORMATION);
    a.initOwner(stage);
    a.setTitle("About DiffuLab");
    Appearance.style(a.getDialogPane());
    a.setHeaderText("DiffuLab " + version());
    a.setContentText(String.join("\n",
        "A desktop lab for diffusion models: masked diffusion and CDCD on text,",
        "Gaussian diffusion (DDPM / DDIM) on pictures.",
        "",
        "Java " + System.getProperty("java.version"),
        "JavaFX " + System.getProperty("javafx.version"),
        "DJL " + (s.djlVersion().isEmpty() ? "(loading)" : s.djlVersion()),
        s.engine() + " " + s.engineVersion(),
        "Device: " + s.device()));
    a.show();
  }

  static String version() {
    String v = ShellView.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  /** How "Open folder" opens one: the desktop's file manager, set by the application. */
  public void setFolderOpener(java.util.function.Consumer<Path> opener) {
    notices.setFolderOpener(opener);
  }

  private void showError(String message) {
    model.tell(message);
    Alert a = new Alert(Alert.AlertType.ERROR, message);
    a.initOwner(stage);
    a.setHeaderText(null);
    a.setTitle("DiffuLab");
    Appearance.style(a.getDialogPane());
    a.show();
  }
}
