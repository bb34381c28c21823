/**
 * TinyTales: the grammar that generates the embedded corpus, its lexicon, and the validator that
 * measures whether a sample is a valid story.
 */
package dev.diffulab.core.tinytales;
