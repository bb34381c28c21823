/**
 * The command line (picocli): {@code train}, {@code generate}, {@code evaluate}, {@code export},
 * {@code corpus}, {@code bench}, {@code info}; each subcommand a thin client of the engine, user
 * errors exit 2 with one line.
 */
package dev.diffulab.cli;
