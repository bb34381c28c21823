/**
 * The tokenizer, through the Hugging Face tokenizers library.
 */
package dev.diffulab.engine.text;
