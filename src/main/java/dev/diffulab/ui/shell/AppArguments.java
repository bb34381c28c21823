package dev.diffulab.ui.shell;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import java.nio.file.Path;
import java.util.List;

/**
 * The window's own options, the same as the launcher's with no subcommand: {@code --checkpoint
 * DIR}, {@code --corpus FILE}, {@code --tokenizer FILE}, {@code --device auto|cpu|gpu}.
 */
public record AppArguments(Path checkpoint, Path corpus, Path tokenizer, DeviceChoice device) {

  public static AppArguments parse(List<String> raw) {
    Path checkpoint = null;
    Path corpus = null;
    Path tokenizer = null;
    DeviceChoice device = DeviceChoice.AUTO;
    for (int i = 0; i < raw.size(); i++) {
      String arg = raw.get(i);
      String value;
      String name = arg;
      if (arg.contains("=")) {
        name = arg.substring(0, arg.indexOf('='));
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < raw.size()) {
        value = raw.get(++i);
      } else {
        throw new InputException("option " + arg + " needs a value");
      }
      switch (name) {
        case "--checkpoint" -> checkpoint = Path.of(value);
        case "--corpus" -> corpus = Path.of(value);
        case "--tokenizer" -> tokenizer = Path.of(value);
        case "--device" -> device = ConfigName.parse(DeviceChoice.class, "--device", value);
        default -> throw new InputException("unknown option " + name
            + " (the window takes --checkpoint, --corpus, --tokenizer, --device)");
      }
    }
    return new AppArguments(checkpoint, corpus, tokenizer, device);
  }
}
