package dev.diffulab.core.gaussian;

import java.nio.file.Path;

/** How an image training run ended: its last step, whether it was stopped, its loss and time. */
public record ImageRunResult(int step, boolean stopped, double finalLoss, double seconds,
    Path checkpoint) {
}
