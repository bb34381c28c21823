package dev.diffulab.ui.masking;

import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.core.snapshot.TokenizedText;
import java.util.function.IntConsumer;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;

/**
 * A text drawn as token chips: given (prefix) chips, plain chips, masked chips, and — with a
 * prediction — the model's best guess in a masked chip, bluer the more confident. Word pieces sit
 * flush against the piece before them. Chips are recycled, so a 512-token text redraws without
 * building new nodes.
 */
public final class TokenChips extends FlowPane {
  private IntConsumer onSelect = i -> {
  };

  public TokenChips() {
    setId("tokenView");
    setHgap(0);
    setVgap(6);
    setPadding(new Insets(10));
    getStyleClass().add("token-view");
  }

  public void setOnSelect(IntConsumer c) {
    onSelect = c;
  }

  public void show(TokenizedText text, boolean[] masked, int prefix, MaskPrediction prediction) {
    int n = text == null ? 0 : text.tokens().size();
    while (getChildren().size() < n) {
      Label chip = new Label();
      int index = getChildren().size();
      chip.setOnMouseClicked(e -> onSelect.accept(index));
      getChildren().add(chip);
    }
    for (int i = 0; i < getChildren().size(); i++) {
      Label chip = (Label) getChildren().get(i);
      chip.setVisible(i < n);
      chip.setManaged(i < n);
      if (i >= n) {
        continue;
      }
      chip.getStyleClass().setAll("chip");
      chip.setStyle("");
      chip.setTooltip(null);
      boolean joined = text.continuesWord()[i];
      FlowPane.setMargin(chip, new Insets(0, 0, 0, joined ? 1 : 6));
      boolean isMasked = masked != null && i < masked.length && masked[i];
      if (i < prefix) {
        chip.getStyleClass().add("chip-given");
        chip.setText(text.tokens().get(i));
      } else if (isMasked && prediction != null && i < prediction.topTokens().length
          && prediction.topTokens()[i].length > 0) {
        String guess = prediction.topTokens()[i][0];
        float p = prediction.topProbs()[i][0];
        chip.getStyleClass().add("chip-predicted");
        String shown = guess.startsWith("##") ? guess.substring(2) : guess;
        // CDCD: the token nearest to the noisy embedding, then the model's guess
        String near = prediction.nearest() == null ? null : prediction.nearest()[i];
        chip.setText(near == null || near.equals(guess) ? shown : near + " ▸ " + shown);
        // confidence as intensity: white at 0, Okabe–Ito blue at 1
        // pale shades keep the theme's text colour (dark on light, light on dark)
        chip.setStyle(String.format("-fx-background-color: rgba(0,114,178,%.2f);%s",
            0.15 + 0.75 * p, p > 0.55 ? " -fx-text-fill: white;" : ""));
        chip.setTooltip(new Tooltip(candidates(prediction, i, text.tokens().get(i))));
      } else if (isMasked) {
        chip.getStyleClass().add("chip-masked");
        chip.setText("[MASK]");
      } else {
        chip.setText(text.tokens().get(i));
      }
    }
  }

  static String candidates(MaskPrediction p, int i, String original) {
    StringBuilder b = new StringBuilder("original: " + original + "\n");
    if (p.nearest() != null) {
      b.append("nearest to the noisy embedding: ").append(p.nearest()[i]).append("\n");
    }
    for (int k = 0; k < p.topTokens()[i].length; k++) {
      b.append(String.format("%d. %-12s %5.1f %%%n", k + 1, p.topTokens()[i][k],
          100 * p.topProbs()[i][k]));
    }
    return b.toString().strip();
  }
}
