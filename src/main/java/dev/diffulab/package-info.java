/**
 * DiffuLab: a desktop lab for text diffusion models. {@code Main} starts the window, or the command
 * line when given a subcommand.
 */
package dev.diffulab;
