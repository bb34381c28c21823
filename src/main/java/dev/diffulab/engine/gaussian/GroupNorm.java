package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu &amp; He 2018): the channels of each picture split into groups, each
 * normalised over its channels and positions, then a learned per-channel gain and shift. What
 * the DDPM U-Net uses instead of batch normalisation, so a sample does not depend on its batch.
 * Input and output (B, C, H, W).
 */
final class GroupNorm extends AbstractBlock {
  private static final float EPS = 1e-5f;
  private final int channels;
  private final int groups;
  private final Parameter gamma;
  private final Parameter beta;

  GroupNorm(int channels) {
    this.channels = channels;
    this.groups = Math.min(8, channels / 4 > 0 ? gcd(channels, 8) : 1);
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .optShape(new Shape(channels)).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .optShape(new Shape(channels)).build());
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.head(); // (B, C, H, W)
    Shape s = x.getShape();
    long n = s.size() / (s.get(0) * groups); // C/G·H·W
    NDArray g = x.reshape(s.get(0), groups, n); // (B, G, C/G·H·W)
    // each group normalised over its last axis by the engine's fused layer norm (one kernel
    // forward and back instead of mean, centre, square, mean, add, sqrt and divide); the
    // learned gain and shift are per channel, so they follow outside it
    NDManager m = x.getManager();
    NDArray normed = x.getNDArrayInternal().layerNorm(g, new Shape(n),
        m.ones(new Shape(n), x.getDataType()), m.zeros(new Shape(n), x.getDataType()), EPS)
        .head().reshape(s); // (B, C, H, W)
    NDArray gain = ps.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
    NDArray shift = ps.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
    return new NDList(normed.mul(gain).add(shift));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[]{inputShapes[0]};
  }
}
