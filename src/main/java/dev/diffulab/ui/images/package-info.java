/**
 * The three workspaces for pictures (Gaussian diffusion on FashionMNIST or a folder of class
 * folders): Train with live loss, loss by t beside the schedule's SNR and a refreshing sample
 * grid; Noising, a slider along the forward process over a real picture with the model's x̂₀ and
 * ε̂; Denoise, a scrubbed DDIM or DDPM run with A/B comparison and exports. The shell shows them
 * in place of the text workspaces when the image family is picked.
 */
package dev.diffulab.ui.images;
