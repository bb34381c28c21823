package dev.diffulab.core.image;

import dev.diffulab.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where FashionMNIST comes from when a command or config names no folder: Debian's
 * {@code dataset-fashion-mnist} when it is installed, else the subset DiffuLab ships (3,000
 * training and 1,000 test pictures, 300 and 100 a class), so the image family works on every
 * machine with no download.
 */
public final class FashionMnist {
  /** The shipped subset's folder on the class path. */
  static final String SUBSET = "/datasets/fashion-mnist-mini/";
  private static final String[] FILES = {"train-images-idx3-ubyte.gz",
      "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
  private static Path extracted;

  private FashionMnist() {
  }

  /** The training or test split in {@code dir}, or (null) in the default place. */
  public static ImageSet split(Path dir, boolean train) {
    return IdxFiles.split(dir != null ? dir : folder(), train);
  }

  /** The folder a command that names none reads: Debian's, or the shipped subset. */
  public static Path folder() {
    return IdxFiles.present(IdxFiles.DEBIAN_FASHION_MNIST)
        ? IdxFiles.DEBIAN_FASHION_MNIST
        : subsetFolder();
  }

  /** The shipped subset, unpacked once per process into a temporary folder. */
  static synchronized Path subsetFolder() {
    if (extracted == null) {
      try {
        Path dir = Files.createTempDirectory("diffulab-fashion-mnist-mini");
        for (String f : FILES) {
          try (InputStream in = FashionMnist.class.getResourceAsStream(SUBSET + f)) {
            if (in == null) {
              throw new IllegalStateException("the shipped FashionMNIST subset is missing " + f);
            }
            Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
          }
          dir.resolve(f).toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        extracted = dir;
      } catch (IOException e) {
        throw new InputException("cannot unpack the shipped FashionMNIST subset: "
            + e.getMessage());
      }
    }
    return extracted;
  }
}
