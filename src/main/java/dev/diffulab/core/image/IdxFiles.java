package dev.diffulab.core.image;

import dev.diffulab.core.InputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and FashionMNIST (LeCun et al.): a magic number (two zero bytes, the
 * element type, the number of dimensions), one big-endian int per dimension, then the raw
 * elements. Images are {@code 0x00000803} (count, rows, columns of unsigned bytes), labels
 * {@code 0x00000801} (count). Files may be gzipped (recognised by their first two bytes, not by
 * their name). Every fault — a wrong magic, a truncated file, images and labels that disagree —
 * is one message naming the file.
 */
public final class IdxFiles {
  static final int IMAGES = 0x00000803;
  static final int LABELS = 0x00000801;
  /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private IdxFiles() {
  }

  /** The training or test split of (Fashion)MNIST in {@code dir}, gzipped or not. */
  public static ImageSet split(Path dir, boolean train) {
    String prefix = train ? "train" : "t10k";
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    return read(images, labels, ImageSet.FASHION_CLASSES);
  }

  /** Whether {@code dir} holds both splits. */
  public static boolean present(Path dir) {
    try {
      for (String f : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        find(dir, f);
      }
      return true;
    } catch (InputException e) {
      return false;
    }
  }

  private static Path find(Path dir, String name) {
    for (String candidate : new String[]{name + ".gz", name, name.replace("-idx", ".idx")
        + ".gz", name.replace("-idx", ".idx")}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new InputException("no " + name + "(.gz) in " + dir + " — FashionMNIST's IDX files"
        + " (Debian: apt-get install dataset-fashion-mnist)");
  }

  /** Images and their labels from two IDX files. */
  public static ImageSet read(Path images, Path labels, String[] classNames) {
    byte[][] pixels;
    int height;
    int width;
    try (DataInputStream in = open(images)) {
      int magic = magic(in, images);
      if (magic != IMAGES) {
        throw new InputException(images + " is not an IDX image file (magic 0x"
            + Integer.toHexString(magic) + ", expected 0x803)");
      }
      int n = dimension(in, images, "image count");
      height = dimension(in, images, "rows");
      width = dimension(in, images, "columns");
      if ((long) height * width > 4096 * 4096) {
        throw new InputException(images + " declares " + height + "×" + width + " images");
      }
      pixels = new byte[n][];
      for (int i = 0; i < n; i++) {
        pixels[i] = new byte[height * width];
        in.readFully(pixels[i]);
      }
    } catch (EOFException e) {
      throw new InputException(images + " is truncated: it ends before the images its header"
          + " declares");
    } catch (IOException e) {
      throw new InputException(images + " cannot be read (" + e.getMessage() + ")");
    }
    int[] label;
    try (DataInputStream in = open(labels)) {
      int magic = magic(in, labels);
      if (magic != LABELS) {
        throw new InputException(labels + " is not an IDX label file (magic 0x"
            + Integer.toHexString(magic) + ", expected 0x801)");
      }
      int n = dimension(in, labels, "label count");
      if (n != pixels.length) {
        throw new InputException(labels + " has " + n + " labels but " + images + " has "
            + pixels.length + " images");
      }
      label = new int[n];
      for (int i = 0; i < n; i++) {
        label[i] = in.readUnsignedByte();
        if (label[i] >= classNames.length) {
          throw new InputException(labels + ": label " + label[i] + " at " + i + " is not one"
              + " of the " + classNames.length + " classes");
        }
      }
    } catch (EOFException e) {
      throw new InputException(labels + " is truncated: it ends before the labels its header"
          + " declares");
    } catch (IOException e) {
      throw new InputException(labels + " cannot be read (" + e.getMessage() + ")");
    }
    return new ImageSet(height, width, pixels, label, classNames);
  }

  private static int magic(DataInputStream in, Path file) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new InputException(file + " is empty or shorter than an IDX header");
    }
  }

  private static int dimension(DataInputStream in, Path file, String what) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new InputException(file + ": the " + what + " in its header is negative (" + n
          + ")");
    }
    return n;
  }

  /** The file's bytes, unzipped when it starts with gzip's magic bytes. */
  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      try {
        raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      } catch (java.util.zip.ZipException e) {
        raw.close();
        throw new InputException(file + " looks gzipped but is not (" + e.getMessage() + ")");
      }
    }
    return new DataInputStream(raw);
  }

  /** Writes images as an IDX image file (uncompressed): for tests and tools. */
  public static void writeImages(Path file, byte[][] pixels, int height, int width)
      throws IOException {
    try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
        Files.newOutputStream(file)))) {
      out.writeInt(IMAGES);
      out.writeInt(pixels.length);
      out.writeInt(height);
      out.writeInt(width);
      for (byte[] p : pixels) {
        out.write(p);
      }
    }
  }

  /** Writes labels as an IDX label file (uncompressed). */
  public static void writeLabels(Path file, int[] labels) throws IOException {
    try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
        Files.newOutputStream(file)))) {
      out.writeInt(LABELS);
      out.writeInt(labels.length);
      for (int l : labels) {
        out.writeByte(l);
      }
    }
  }
}
