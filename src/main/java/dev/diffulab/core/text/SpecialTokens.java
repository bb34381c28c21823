package dev.diffulab.core.text;

import java.util.Set;

/** The BERT-style special tokens every DiffuLab tokenizer must have. */
public final class SpecialTokens {
  public static final String PAD = "[PAD]";
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final String MASK = "[MASK]";

  /** Alternative spellings accepted for a tokenizer that was not written for BERT. */
  public static final Set<String> PAD_ALIASES = Set.of(PAD, "<pad>", "<|pad|>");
  public static final Set<String> MASK_ALIASES = Set.of(MASK, "<mask>", "<|mask|>");
  public static final Set<String> UNK_ALIASES = Set.of(UNK, "<unk>", "<|unk|>");

  private SpecialTokens() {
  }
}
