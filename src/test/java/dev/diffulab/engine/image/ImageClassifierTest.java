package dev.diffulab.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.image.ClassifierManifest;
import dev.diffulab.core.image.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier learns pictures it can tell apart, its measures mean what they say on known
 * inputs, and it is saved and read back exactly.
 */
public class ImageClassifierTest {
  /** Three kinds of 12×12 picture: a horizontal bar, a vertical bar, a bright square. */
  public static ImageSet shapes(int n, long seed) {
    Random r = new Random(seed);
    byte[][] pixels = new byte[n][144];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int kind = i % 3;
      labels[i] = kind;
      int at = 2 + r.nextInt(8);
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          boolean on = switch (kind) {
            case 0 -> y == at || y == at + 1;
            case 1 -> x == at || x == at + 1;
            default -> Math.abs(x - 6) < 3 && Math.abs(y - 6) < 3;
          };
          int noise = r.nextInt(40);
          pixels[i][y * 12 + x] = (byte) (on ? 215 + noise : noise);
        }
      }
    }
    return new ImageSet(12, 12, pixels, labels, new String[]{"rows", "columns", "square"});
  }

  @Test
  void itLearnsPicturesItCanTellApartAndReadsBackExactly(@TempDir Path dir) throws Exception {
    ImageSet train = shapes(600, 1);
    ImageSet test = shapes(150, 2);
    try (NDManager root = NDManager.newBaseManager();
        ImageClassifier net = new ImageClassifier(12, 12, 3, root, 5)) {
      double before = ClassifierTraining.accuracy(net, test);
      StringBuilder log = new StringBuilder();
      ClassifierManifest m = ClassifierTraining.train(net, train, test,
          new ClassifierTraining.Recipe(3, 32, 0.003, 0.01, 5), line -> log.append(line)
              .append('\n'),
          () -> false);
      assertTrue(m.testAccuracy() >= 0.95, "accuracy " + m.testAccuracy() + " (untrained "
          + before + ")\n" + log);
      assertTrue(log.toString().contains("epoch 3/3"), log.toString());
      double[] measured = ClassifierTraining.measure(net, test);
      assertEquals(m.testAccuracy(), measured[0], 1e-12);
      assertTrue(measured[1] <= 1 && measured[1] > 0.5, "sure of " + measured[1]);

      ClassifierTraining.save(net, m, dir.resolve("cls"));
      try (ImageClassifier again = ClassifierTraining.load(dir.resolve("cls"), root);
          NDManager sub = root.newSubManager()) {
        int[] idx = {0, 1, 2, 3, 4};
        float[] a = net.probabilities(ImageClassifier.batch(sub, test, idx)).toFloatArray();
        float[] b = again.probabilities(ImageClassifier.batch(sub, test, idx)).toFloatArray();
        assertArrayEquals(a, b, "the same classifier after a round trip");
        assertEquals(ImageClassifier.FEATURES, again.features(ImageClassifier.batch(sub, test,
            idx)).getShape().get(1));
      }
      // a folder of someone else's files is not replaced
      Path mine = Files.createDirectories(dir.resolve("mine"));
      Files.writeString(mine.resolve("notes.txt"), "mine");
      assertThrows(InputException.class, () -> ClassifierTraining.save(net, m, mine));
      assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    }
  }

  @Test
  void aDamagedClassifierIsNamed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(ClassifierTraining.MANIFEST), "{\"format\": 1, \"height\":"
        + " 12, \"width\": 12, \"classNames\": [\"a\", \"b\"], \"seed\": 1}");
    Files.writeString(dir.resolve(ClassifierTraining.PARAMS), "not parameters");
    try (NDManager root = NDManager.newBaseManager()) {
      InputException e = assertThrows(InputException.class,
          () -> ClassifierTraining.load(dir, root));
      assertTrue(e.getMessage().contains("classifier.params is damaged"), e.getMessage());
    }
  }
}
