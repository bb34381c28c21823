/**
 * Help for the concepts the controls name: a one-sentence tooltip on every control (naming the
 * paper where one applies), the Concepts window (F1) with small figures, and the first-start guide.
 */
package dev.diffulab.ui.help;
