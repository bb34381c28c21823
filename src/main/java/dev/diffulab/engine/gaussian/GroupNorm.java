package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDList;
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
    NDArray g = x.reshape(s.get(0), groups, -1); // (B, G, C/G·H·W)
    NDArray mean = g.mean(new int[]{2}, true); // (B, G, 1)
    NDArray centred = g.sub(mean);
    NDArray var = centred.square().mean(new int[]{2}, true); // (B, G, 1)
    NDArray normed = centred.div(Scalars.add(var, EPS).sqrt()).reshape(s); // (B, C, H, W)
    NDArray gain = ps.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
    NDArray shift = ps.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
    return new NDList(normed.mul(gain).add(shift));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[]{inputShapes[0]};
  }
}
