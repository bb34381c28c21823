/**
 * Sampling rules that are plain arithmetic: which positions a step reveals or remasks, and how a
 * token is chosen from a distribution.
 */
package dev.diffulab.core.sampling;
