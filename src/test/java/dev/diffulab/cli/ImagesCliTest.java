package dev.diffulab.cli;

import static dev.diffulab.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image commands end to end on a tiny U-Net: train with a checkpoint along the way, go on
 * with --resume, draw a grid, refuse a sampler setting out of range by name; and a checkpoint of
 * the other family is named for what it is.
 */
class ImagesCliTest {
  @Test
  void trainResumeGenerateAndTheWrongFamily(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("tiny.json");
    Files.writeString(config, """
        {"name": "tiny-cli", "seed": 2,
         "model": {"channels": 8, "class_conditional": true, "label_dropout": 0.2},
         "diffusion": {"steps": 40, "schedule": "linear", "prediction": "epsilon", "loss": "mse"},
         "train": {"steps": 12, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 2,
                   "log_every": 4, "checkpoint_every": 6},
         "sampler": {"steps": 5, "eta": 0.0, "guidance": 2.0, "num_samples": 4},
         "data": {"source": "fashion-mnist", "limit": 200}}
        """);
    Path out = dir.resolve("run");
    CliTest.Run first = run("images", "train", "--config", config.toString(), "--out",
        out.toString(), "--steps", "6", "--previews", "3");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("finished at step 6"), first.out());
    for (int step : new int[]{0, 3, 6}) {
      assertTrue(first.out().contains("preview at step " + step + ":"),
          first.out());
    }
    CliTest.Run resumed = run("images", "train", "--resume", out.toString(), "--steps", "12");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("going on from step 6"), resumed.out());
    assertTrue(resumed.out().contains("finished at step 12"), resumed.out());

    Path grid = dir.resolve("grid.png");
    CliTest.Run drawn = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        grid.toString(), "--class", "each");
    assertEquals(0, drawn.code(), drawn.err());
    assertTrue(javax.imageio.ImageIO.read(grid.toFile()).getWidth() > 28);
    CliTest.Run again = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        grid.toString());
    assertEquals(2, again.code(), "an existing grid is not replaced without --overwrite");
    CliTest.Run eta = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        dir.resolve("eta.png").toString(), "--eta", "1.5");
    assertEquals(2, eta.code(), eta.err());
    assertTrue(eta.err().contains("--eta must be in [0, 1], got 1.5"), eta.err());
    CliTest.Run guided = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        dir.resolve("w.png").toString(), "--guidance", "50.5");
    assertEquals(2, guided.code(), guided.err());
    assertTrue(guided.err().contains("--guidance must be in [0, 50], got 50.5"), guided.err());
    CliTest.Run interval = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        dir.resolve("interval.png").toString(), "--class", "each", "--guidance-interval",
        "0.3,1");
    assertEquals(0, interval.code(), interval.err());
    assertTrue(interval.out().contains("guidance 2.00 for t/T in [0.30, 1.00]"), interval.out());
    CliTest.Run reversed = run("images", "generate", "--checkpoint", out.toString(), "--grid",
        dir.resolve("reversed.png").toString(), "--guidance-interval", "0.8,0.2");
    assertEquals(2, reversed.code(), reversed.err());
    assertTrue(reversed.err().contains("--guidance-interval must be [from, to] with 0 <= from"
        + " < to <= 1"), reversed.err());

    CliTest.Run text = run("generate", "--checkpoint", out.toString(), "--num-samples", "1");
    assertEquals(2, text.code());
    assertTrue(text.err().contains("is an image checkpoint (Gaussian diffusion)")
        && text.err().contains("diffulab images generate"), text.err());
    CliTest.Run both = run("images", "train", "--config", config.toString(), "--resume",
        out.toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("--config FILE or --resume DIR"), both.err());
  }
}
