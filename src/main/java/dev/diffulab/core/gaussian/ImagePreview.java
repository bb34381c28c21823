package dev.diffulab.core.gaussian;

import java.util.OptionalDouble;

/**
 * Pictures a training run drew from its current model at {@code step}, and — where a classifier
 * of the run's pictures is at hand — the share it recognises and their Fréchet distance to real
 * test pictures, beside the distance between two real sets of the same size (the floor).
 */
public record ImagePreview(int step, ImageSamples samples, OptionalDouble recognisable,
    OptionalDouble frechet, OptionalDouble frechetFloor) {
}
