package dev.diffulab.ui.images;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/** Pictures of H·W values drawn as grey levels, one at a time or as a grid, enlarged. */
final class Pictures {
  /** The grey between pictures of a grid. */
  private static final Color FRAME = Color.gray(0.38);

  private Pictures() {
  }

  /**
   * A grid of {@code images} ({@code columns} wide), each pixel {@code scale}×{@code scale};
   * values from −{@code range} (black) to +{@code range} (white).
   */
  static WritableImage grid(float[][] images, int height, int width, int columns, int scale,
      float range) {
    int n = Math.max(1, images.length);
    int cols = Math.max(1, Math.min(columns, n));
    int rows = (n + cols - 1) / cols;
    int gap = images.length > 1 ? 2 : 0;
    WritableImage out = new WritableImage(cols * (width * scale + gap) + gap,
        rows * (height * scale + gap) + gap);
    PixelWriter pw = out.getPixelWriter();
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        pw.setColor(x, y, FRAME);
      }
    }
    for (int i = 0; i < images.length; i++) {
      int ox = gap + (i % cols) * (width * scale + gap);
      int oy = gap + (i / cols) * (height * scale + gap);
      for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
          double g = Math.max(0, Math.min(1, (images[i][r * width + c] / range + 1) / 2));
          int argb = 0xFF000000 | (int) Math.round(g * 255) * 0x010101;
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              pw.setArgb(ox + c * scale + dx, oy + r * scale + dy, argb);
            }
          }
        }
      }
    }
    return out;
  }

  /** One picture. */
  static WritableImage one(float[] image, int height, int width, int scale, float range) {
    return grid(new float[][]{image}, height, width, 1, scale, range);
  }

  /** An image view that keeps its pixels sharp when drawn. */
  static ImageView view(String id) {
    ImageView v = new ImageView();
    v.setId(id);
    v.setSmooth(false);
    v.setPreserveRatio(true);
    return v;
  }
}
