/**
 * What a checkpoint says about itself: the manifest (provenance, metrics, evaluation), the one-
 * line model label, and where the shipped demo models live.
 */
package dev.diffulab.core.checkpoint;
