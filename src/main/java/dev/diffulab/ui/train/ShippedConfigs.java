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
 * {@code diffulab.fullRunConfig}, {@code diffulab.fullRunConfigCdcd}) names a file to use instead,
 * which is how tests run the real buttons with tiny models.
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

  private ShippedConfigs() {
  }

  public static RunConfig get(Kind kind, Method method) {
    String suffix = method.configSuffix();
    // -cdcd → Cdcd: the system property that names a test's replacement for this family's file
    String property = kind.property + (suffix.isEmpty()
        ? ""
        : Character.toUpperCase(suffix.charAt(1)) + suffix.substring(2));
    String override = System.getProperty(property);
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
