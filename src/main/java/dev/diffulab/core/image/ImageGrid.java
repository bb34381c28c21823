package dev.diffulab.core.image;

import dev.diffulab.core.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Pictures in [−1, 1] laid out as a PNG grid, each scaled up for a person to see. */
public final class ImageGrid {
  private ImageGrid() {
  }

  public static BufferedImage of(float[][] images, int height, int width, int columns,
      int scale) {
    int n = images.length;
    int cols = Math.max(1, Math.min(columns, n));
    int rowsOf = (n + cols - 1) / cols;
    int gap = 2;
    BufferedImage out = new BufferedImage(cols * (width * scale + gap) + gap,
        rowsOf * (height * scale + gap) + gap, BufferedImage.TYPE_BYTE_GRAY);
    var raster = out.getRaster();
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        raster.setSample(x, y, 0, 96); // a grey frame between pictures
      }
    }
    for (int i = 0; i < n; i++) {
      int ox = gap + (i % cols) * (width * scale + gap);
      int oy = gap + (i / cols) * (height * scale + gap);
      for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
          float v = images[i][r * width + c];
          int g = Math.round(Math.max(0f, Math.min(1f, (v + 1f) / 2f)) * 255f);
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              raster.setSample(ox + c * scale + dx, oy + r * scale + dy, 0, g);
            }
          }
        }
      }
    }
    return out;
  }

  /** Writes the grid as PNG (through a temporary sibling, so a half-written file never shows). */
  public static void write(Path file, float[][] images, int height, int width, int columns,
      int scale) {
    try {
      Path abs = file.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      try {
        ImageIO.write(of(images, height, width, columns, scale), "png", tmp.toFile());
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new InputException("cannot write " + file + " (" + e.getMessage() + ")");
    }
  }
}
