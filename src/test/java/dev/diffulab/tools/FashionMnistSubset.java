package dev.diffulab.tools;

import dev.diffulab.core.image.IdxFiles;
import dev.diffulab.core.image.ImageSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the FashionMNIST subset DiffuLab ships for machines without Debian's
 * {@code dataset-fashion-mnist}: the first {@code perClass} training and {@code perClass / 3}
 * test pictures of each class, in file order, as gzipped IDX files.
 *
 * <pre>java -cp target/classes:target/test-classes dev.diffulab.tools.FashionMnistSubset \
 *     /usr/share/datasets/fashion-mnist src/main/resources/datasets/fashion-mnist-mini 300</pre>
 */
public final class FashionMnistSubset {
  private FashionMnistSubset() {
  }

  public static void main(String[] args) throws IOException {
    Path from = Path.of(args[0]);
    Path to = Path.of(args[1]);
    int perClass = Integer.parseInt(args[2]);
    Files.createDirectories(to);
    write(IdxFiles.split(from, true), perClass, to, "train");
    write(IdxFiles.split(from, false), perClass / 3, to, "t10k");
  }

  private static void write(ImageSet set, int perClass, Path to, String prefix)
      throws IOException {
    int[] taken = new int[set.classes()];
    List<byte[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      int c = set.labels()[i];
      if (taken[c] < perClass) {
        taken[c]++;
        pixels.add(set.pixels()[i]);
        labels.add(c);
      }
    }
    Path images = Files.createTempFile("idx", ".images");
    Path labelFile = Files.createTempFile("idx", ".labels");
    IdxFiles.writeImages(images, pixels.toArray(byte[][]::new), set.height(), set.width());
    IdxFiles.writeLabels(labelFile, labels.stream().mapToInt(Integer::intValue).toArray());
    gzip(images, to.resolve(prefix + "-images-idx3-ubyte.gz"));
    gzip(labelFile, to.resolve(prefix + "-labels-idx1-ubyte.gz"));
    Files.delete(images);
    Files.delete(labelFile);
    System.out.println(prefix + ": " + pixels.size() + " pictures");
  }

  private static void gzip(Path from, Path to) throws IOException {
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
      in.transferTo(out);
    }
  }
}
