/**
 * CDCD's time warp: the monotone fit of cross-entropy against log σ (isotonic or Cauchy-like) and
 * the warped σ grid sampling walks.
 */
package dev.diffulab.core.cdcd;
