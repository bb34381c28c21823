package dev.diffulab.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files gzipped or not, image folders, and one clear message for every bad file. */
class ImageReadersTest {
  private static byte[][] pictures(int n, int h, int w) {
    byte[][] p = new byte[n][h * w];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h * w; k++) {
        p[i][k] = (byte) ((i * 31 + k * 7) & 0xff);
      }
    }
    return p;
  }

  private static void gzip(Path from, Path to) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      Files.copy(from, out);
    }
  }

  @Test
  void idxImagesAndLabelsReadTheSameGzippedOrNot(@TempDir Path dir) throws Exception {
    byte[][] p = pictures(5, 4, 3);
    int[] labels = {0, 9, 3, 3, 7};
    IdxFiles.writeImages(dir.resolve("train-images-idx3-ubyte"), p, 4, 3);
    IdxFiles.writeLabels(dir.resolve("train-labels-idx1-ubyte"), labels);
    ImageSet plain = IdxFiles.split(dir, true);
    assertEquals(5, plain.size());
    assertEquals(4, plain.height());
    assertEquals(3, plain.width());
    assertArrayEquals(labels, plain.labels());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(p[i], plain.pixels()[i]);
    }
    Path z = dir.resolve("z");
    Files.createDirectories(z);
    gzip(dir.resolve("train-images-idx3-ubyte"), z.resolve("train-images-idx3-ubyte.gz"));
    gzip(dir.resolve("train-labels-idx1-ubyte"), z.resolve("train-labels-idx1-ubyte.gz"));
    ImageSet zipped = IdxFiles.split(z, true);
    assertArrayEquals(plain.labels(), zipped.labels());
    assertArrayEquals(plain.pixels()[4], zipped.pixels()[4]);
    // signed pixels span [-1, 1]
    assertEquals(-1f, new ImageSet(1, 1, new byte[][]{{0}}, new int[]{0},
        new String[]{"a"}).signed(0)[0]);
    assertEquals(1f, new ImageSet(1, 1, new byte[][]{{(byte) 255}}, new int[]{0},
        new String[]{"a"}).signed(0)[0]);
  }

  @Test
  void badIdxFilesAreNamedInOneMessage(@TempDir Path dir) throws Exception {
    Path images = dir.resolve("i");
    Path labels = dir.resolve("l");
    IdxFiles.writeImages(images, pictures(4, 2, 2), 2, 2);
    IdxFiles.writeLabels(labels, new int[]{1, 2, 3, 4});
    // labels given as images: wrong magic
    InputException magic = assertThrows(InputException.class,
        () -> IdxFiles.read(labels, labels, ImageSet.FASHION_CLASSES));
    assertTrue(magic.getMessage().contains(labels.toString())
        && magic.getMessage().contains("not an IDX image file"), magic.getMessage());
    // truncated images
    byte[] all = Files.readAllBytes(images);
    Path cut = dir.resolve("cut");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 3));
    InputException truncated = assertThrows(InputException.class,
        () -> IdxFiles.read(cut, labels, ImageSet.FASHION_CLASSES));
    assertTrue(truncated.getMessage().contains("cut is truncated"), truncated.getMessage());
    // truncated gzip
    Path gz = dir.resolve("i.gz");
    gzip(images, gz);
    byte[] z = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(z, z.length / 2));
    InputException cutZip = assertThrows(InputException.class,
        () -> IdxFiles.read(gz, labels, ImageSet.FASHION_CLASSES));
    assertTrue(cutZip.getMessage().contains("i.gz"), cutZip.getMessage());
    // counts that disagree
    Path three = dir.resolve("three");
    IdxFiles.writeLabels(three, new int[]{1, 2, 3});
    InputException counts = assertThrows(InputException.class,
        () -> IdxFiles.read(images, three, ImageSet.FASHION_CLASSES));
    assertTrue(counts.getMessage().contains("3 labels") && counts.getMessage().contains(
        "4 images"), counts.getMessage());
    // a label past the classes
    Path eleven = dir.resolve("eleven");
    IdxFiles.writeLabels(eleven, new int[]{1, 2, 3, 11});
    assertThrows(InputException.class,
        () -> IdxFiles.read(images, eleven, ImageSet.FASHION_CLASSES));
    // empty file
    Path empty = Files.createFile(dir.resolve("empty"));
    assertTrue(assertThrows(InputException.class, () -> IdxFiles.read(empty, labels,
        ImageSet.FASHION_CLASSES)).getMessage().contains("empty"));
    // a folder without the files says what to install
    assertTrue(assertThrows(InputException.class, () -> IdxFiles.split(dir.resolve("none"),
        false)).getMessage().contains("dataset-fashion-mnist"));
  }

  @Test
  void imageFoldersAreResizedToGreyscaleWithOneClassPerFolder(@TempDir Path dir)
      throws Exception {
    Path boots = Files.createDirectories(dir.resolve("boots"));
    Path bags = Files.createDirectories(dir.resolve("bags"));
    BufferedImage white = new BufferedImage(64, 40, BufferedImage.TYPE_INT_RGB);
    var g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 40);
    g.dispose();
    ImageIO.write(white, "png", boots.resolve("a.png").toFile());
    ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), "jpg",
        bags.resolve("b.JPG").toFile());
    Files.writeString(bags.resolve("readme.txt"), "not a picture, ignored by its name");
    ImageSet set = ImageFolders.read(dir, 28, 28);
    assertArrayEquals(new String[]{"bags", "boots"}, set.classNames());
    assertArrayEquals(new int[]{0, 1}, set.labels());
    assertEquals(28 * 28, set.pixels()[1].length);
    assertEquals(255, set.pixels()[1][400] & 0xff, "white stays white");
    assertEquals(0, set.pixels()[0][400] & 0xff, "black stays black");
    Files.writeString(bags.resolve("broken.png"), "this is text");
    InputException e = assertThrows(InputException.class, () -> ImageFolders.read(dir, 28, 28));
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
  }

  @Test
  void theDebianFashionMnistReadsWhereInstalled() {
    Assumptions.assumeTrue(IdxFiles.present(IdxFiles.DEBIAN_FASHION_MNIST));
    ImageSet test = IdxFiles.split(IdxFiles.DEBIAN_FASHION_MNIST, false);
    assertEquals(10_000, test.size());
    assertEquals(28, test.height());
    int[] counts = test.classCounts();
    for (int c : counts) {
      assertEquals(1000, c);
    }
  }

  @Test
  void theShippedSubsetHoldsEveryClassAlikeAndIsFashionMnistsOwnPictures() {
    ImageSet train = IdxFiles.split(FashionMnist.subsetFolder(), true);
    ImageSet test = IdxFiles.split(FashionMnist.subsetFolder(), false);
    assertEquals(3000, train.size());
    assertEquals(1000, test.size());
    for (int c = 0; c < 10; c++) {
      assertEquals(300, train.classCounts()[c]);
      assertEquals(100, test.classCounts()[c]);
    }
    assertEquals(28, train.height());
    if (IdxFiles.present(IdxFiles.DEBIAN_FASHION_MNIST)) {
      // the first pictures of each class, in file order
      ImageSet full = IdxFiles.split(IdxFiles.DEBIAN_FASHION_MNIST, false);
      assertArrayEquals(full.pixels()[0], test.pixels()[0]);
      assertEquals(full.labels()[0], test.labels()[0]);
      assertEquals(FashionMnist.folder(), IdxFiles.DEBIAN_FASHION_MNIST,
          "the full set is preferred where it is installed");
    }
  }
}
