/**
 * The way to a CUDA GPU: what the machine has (NVIDIA driver, GPUs, CUDA version), whether a
 * folder holds a usable libtorch, and the environment a restart needs — kept between sessions in
 * a small file the launchers read. No DJL here: this runs before PyTorch is loaded.
 */
package dev.diffulab.core.device;
