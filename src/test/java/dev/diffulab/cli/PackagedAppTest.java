package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The packaged app's own launcher (jpackage app image, with its jlink'd runtime) starts and
 * answers {@code info --json} offline. The image is built by {@code ./mvnw -Pdist package}, which
 * runs the same check on the image it has just built; this test repeats it on an image left in
 * {@code target/dist} and says so when there is none.
 */
class PackagedAppTest {
  @Test
  void thePackagedLauncherAnswersInfoOffline() throws Exception {
    String os = System.getProperty("os.name").toLowerCase();
    Path launcher = os.contains("win")
        ? Path.of("target/dist/DiffuLab/DiffuLab.exe")
        : os.contains("mac")
            ? Path.of("target/dist/DiffuLab.app/Contents/MacOS/DiffuLab")
            : Path.of("target/dist/DiffuLab/bin/DiffuLab");
    Assumptions.assumeTrue(Files.isExecutable(launcher), "no app image at " + launcher
        + ": build it with ./mvnw -Pdist -DskipTests package (needs jpackage, in every JDK 25)");
    Process p = new ProcessBuilder(launcher.toString(), "info", "--json")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    JsonObject info = JsonParser.parseString(out.strip()).getAsJsonObject();
    assertEquals("PyTorch", info.get("engine").getAsString());
    assertTrue(info.get("device").getAsString().startsWith("CPU")
        || info.get("device").getAsString().startsWith("GPU"), out);
  }
}
