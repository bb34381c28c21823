package dev.diffulab.core.tinytales;

import java.util.ArrayList;
import java.util.List;

/** Splits text into words and punctuation marks, and joins them back with English spacing. */
public final class Words {
  private Words() {
  }

  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c)) {
        int j = i;
        while (j < n && Character.isLetter(text.charAt(j))) {
          j++;
        }
        out.add(text.substring(i, j));
        i = j;
      } else {
        out.add(String.valueOf(c));
        i++;
      }
    }
    return out;
  }

  /** "Lily went to the park ." → "Lily went to the park." */
  public static String join(List<String> tokens) {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens) {
      boolean punct = t.equals(".") || t.equals(",") || t.equals("!") || t.equals("?");
      if (!sb.isEmpty() && !punct) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }
}
