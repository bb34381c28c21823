/**
 * Masked diffusion's corruption: ratios per document, the masked batch, and the Masking
 * workspace's request.
 */
package dev.diffulab.core.masking;
