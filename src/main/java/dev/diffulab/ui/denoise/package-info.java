/**
 * The Denoise workspace: generate, scrub through the recorded run, compare A/B, export traces, PNG
 * and GIF.
 */
package dev.diffulab.ui.denoise;
