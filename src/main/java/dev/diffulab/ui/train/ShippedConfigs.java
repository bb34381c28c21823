package dev.diffulab.ui.train;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The configs behind the Quick test and Full run buttons: {@code sample-configs/quick-test.json},
 * {@code quick-test-cdcd.json}, {@code full.json} and {@code full-cdcd.json} from the class path.
 * A system property ({@code diffulab.quickTestConfig}, {@code diffulab.quickTestConfigCdcd},
 * {@code diffulab.fullRunConfig}, {@code diffulab.fullRunConfigCdcd}, and for a task
 * {@code diffulab.quickTestConfigMultiplicationAr} and so on) names a file to use instead, which
 * is how tests run the real buttons with tiny models.
 */
public final class ShippedConfigs {
  /** Which button. */
  public enum Kind {
    QUICK_TEST("quick-test", "diffulab.quickTestConfig"), FULL_RUN("full",
        "diffulab.fullRunConfig");

    private final String file;
    private final String property;

    Kind(String file, String property) {
      this.file = file;
      this.property = property;
    }
  }

  /**
   * What the shipped runs learn: stories (TinyTales), or a built-in task — multiplication with
   * its chain of thought, story → summary; the file of a task's run carries its name
   * ({@code quick-test-multiplication-cdcd.json}).
   */
  public enum Task {
    STORIES("", "Stories (TinyTales)"), MULTIPLICATION("-multiplication",
        "Multiplication, with its chain of thought"), SUMMARIES("-summaries",
            "Story → one-sentence summary");

    private final String suffix;
    private final String label;

    Task(String suffix, String label) {
      this.suffix = suffix;
      this.label = label;
    }

    public String label() {
      return label;
    }

    /**
     * Whether {@code method} can learn this task (the autoregressive baseline needs pairs, the
     * text autoencoder plain text).
     */
    public boolean fits(Method method) {
      return this == STORIES ? !method.pairsOnly() : method.learnsPairs();
    }

    /** The task a config learns. */
    public static Task of(RunConfig config) {
      if (!config.data().isTask()) {
        return STORIES;
      }
      return dev.diffulab.core.pairs.Tasks.SUMMARIES.equals(config.data().corpus())
          ? SUMMARIES
          : MULTIPLICATION;
    }
  }

  private ShippedConfigs() {
  }

  public static RunConfig get(Kind kind, Method method) {
    return get(kind, method, Task.STORIES);
  }

  /** The shipped run of {@code kind} for a family and a task. */
  public static RunConfig get(Kind kind, Method method, Task task) {
    if (!task.fits(method)) {
      throw new dev.diffulab.core.InputException(method.pairsOnly()
          ? method.displayName() + " learns prompt → response tasks, not stories: choose the"
              + " multiplication task"
          : method.displayName() + " learns plain text, not prompt → response tasks: choose"
              + " stories");
    }
    String suffix = task.suffix + method.configSuffix();
    // -cdcd → Cdcd: the system property that names a test's replacement for this family's file
    StringBuilder property = new StringBuilder(kind.property);
    for (String part : suffix.split("-")) {
      if (!part.isEmpty()) {
        property.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    String override = System.getProperty(property.toString());
    if (override != null) {
      return RunConfig.load(Path.of(override));
    }
    String name = "sample-configs/" + kind.file + suffix + ".json";
    try (InputStream in = ShippedConfigs.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the application");
      }
      return RunConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new IllegalStateException(name + " cannot be read", e);
    }
  }
}
