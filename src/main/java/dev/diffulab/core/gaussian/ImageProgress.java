package dev.diffulab.core.gaussian;

/**
 * One training step of an image run, as the window plots it: the step, the smoothed loss, the
 * learning rate, the speed and the time so far; at every logged step also the mean loss in ten
 * buckets of t since the last one (the family's signature curve; empty between them).
 */
public record ImageProgress(int step, int totalSteps, double loss, double learningRate,
    double imagesPerSecond, double seconds, double[] lossByT) {
}
