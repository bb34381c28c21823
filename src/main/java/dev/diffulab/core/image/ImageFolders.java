package dev.diffulab.core.image;

import dev.diffulab.core.InputException;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A person's own pictures: a folder with one subfolder per class (its name is the class name),
 * each holding PNG or JPEG files of any size and colour. Every picture is converted to greyscale
 * (luminance) and resized to the model's {@code height × width} with bilinear filtering. A file
 * that is not a readable image fails the load with one message naming it.
 */
public final class ImageFolders {
  private ImageFolders() {
  }

  public static ImageSet read(Path root, int height, int width) {
    if (!Files.isDirectory(root)) {
      throw new InputException("image folder " + root + " is not a folder");
    }
    List<Path> classes;
    try (Stream<Path> s = Files.list(root)) {
      classes = s.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new InputException("image folder " + root + " cannot be read (" + e.getMessage()
          + ")");
    }
    if (classes.isEmpty()) {
      throw new InputException("image folder " + root + " has no class subfolders (one folder"
          + " per class, each holding PNG or JPEG files)");
    }
    List<byte[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    String[] names = new String[classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      names[c] = classes.get(c).getFileName().toString();
      List<Path> files;
      try (Stream<Path> s = Files.list(classes.get(c))) {
        files = s.filter(Files::isRegularFile).filter(ImageFolders::isPicture).sorted().toList();
      } catch (IOException e) {
        throw new InputException(classes.get(c) + " cannot be read (" + e.getMessage() + ")");
      }
      if (files.isEmpty()) {
        throw new InputException("class folder " + classes.get(c) + " has no PNG or JPEG"
            + " files");
      }
      for (Path f : files) {
        pixels.add(greyscale(f, height, width));
        labels.add(c);
      }
    }
    return new ImageSet(height, width, pixels.toArray(byte[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray(), names);
  }

  private static boolean isPicture(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  /** One picture as greyscale bytes, resized to {@code height × width}. */
  static byte[] greyscale(Path file, int height, int width) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new InputException(file + " is not a readable image (" + e.getMessage() + ")");
    }
    if (img == null) {
      throw new InputException(file + " is not a PNG or JPEG image");
    }
    BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    var g = grey.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    byte[] out = new byte[height * width];
    grey.getRaster().getDataElements(0, 0, width, height, out);
    return out;
  }
}
