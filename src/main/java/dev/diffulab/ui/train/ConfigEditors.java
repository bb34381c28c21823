package dev.diffulab.ui.train;

import dev.diffulab.core.config.ConfigDraft;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.FXCollections;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * Controls bound to one field of a {@link ConfigViewModel}: a text field, check box or choice box
 * that writes what the person enters straight into the draft and shows the field's problem at
 * once (red outline, the problem as tooltip). The key knobs and the property sheet use the same
 * editors.
 */
final class ConfigEditors {
  private static final Map<String, String> SECTIONS = Map.of("run", "Run", "model", "Model",
      "data", "Data", "train", "Training", "masking", "Masking", "sampler", "Sampler", "cdcd",
      "CDCD");
  /** The sections in the order of a config file. */
  static final java.util.Comparator<String> SECTION_ORDER = java.util.Comparator.comparingInt(
      c -> List.of("Run", "Model", "Data", "Training", "Masking", "Sampler", "CDCD").indexOf(c));

  private ConfigEditors() {
  }

  /** An editor for {@code field}, with id {@code config-<key>} (dots as dashes). */
  static Control editor(ConfigViewModel vm, ConfigDraft.Field field) {
    String key = field.key();
    Control c = switch (field.kind()) {
      case BOOLEAN -> {
        CheckBox box = new CheckBox();
        box.setSelected(Boolean.parseBoolean(vm.value(key).get()));
        box.selectedProperty().addListener((o, a, b) -> vm.set(key, Boolean.toString(b)));
        follow(box, vm.value(key), v -> box.setSelected(Boolean.parseBoolean(v)));
        yield box;
      }
      case CHOICE -> {
        ComboBox<String> box = new ComboBox<>(FXCollections.observableArrayList(field.choices()));
        box.setValue(vm.value(key).get());
        box.valueProperty().addListener((o, a, b) -> vm.set(key, b));
        follow(box, vm.value(key), box::setValue);
        yield box;
      }
      case TEXT, NUMBER -> {
        TextField text = new TextField(vm.value(key).get());
        text.textProperty().addListener((o, a, b) -> vm.set(key, b));
        follow(text, vm.value(key), v -> {
          if (!v.equals(text.getText())) {
            text.setText(v);
          }
        });
        yield text;
      }
    };
    c.setId("config-" + key.replace('.', '-'));
    ObservableValue<String> error = vm.error(key);
    Runnable mark = () -> {
      String problem = error.getValue();
      c.getStyleClass().remove("invalid");
      if (problem != null) {
        c.getStyleClass().add("invalid");
      }
      c.setTooltip(new Tooltip(problem != null
          ? key + ": " + problem
          : key + " — " + field.description()));
    };
    follow(c, error, v -> mark.run());
    mark.run();
    return c;
  }

  /**
   * Calls {@code update} when {@code value} changes, for as long as {@code owner} lives: the view
   * model holds the listener weakly, the control strongly.
   */
  private static void follow(Control owner, ObservableValue<String> value,
      java.util.function.Consumer<String> update) {
    ChangeListener<String> l = (o, a, b) -> update.accept(b);
    owner.getProperties().put("config-listener-" + owner.getProperties().size(), l);
    value.addListener(new WeakChangeListener<>(l));
  }

  /** The property-sheet row of a field. */
  record Row(ConfigViewModel vm, ConfigDraft.Field field) implements PropertySheet.Item {
    @Override
    public Class<?> getType() {
      return String.class;
    }

    @Override
    public String getCategory() {
      return SECTIONS.getOrDefault(field.section(), field.section());
    }

    @Override
    public String getName() {
      return field.name();
    }

    @Override
    public String getDescription() {
      return field.description();
    }

    @Override
    public Object getValue() {
      return vm.value(field.key()).get();
    }

    @Override
    public void setValue(Object value) {
      vm.set(field.key(), (String) value);
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
      return Optional.of(vm.value(field.key()));
    }
  }

  /** The property sheet's editor for a {@link Row}. */
  static PropertyEditor<String> propertyEditor(PropertySheet.Item item) {
    ConfigViewModel vm = ((Row) item).vm();
    ConfigDraft.Field field = ((Row) item).field();
    Control c = editor(vm, field);
    return new PropertyEditor<>() {
      @Override
      public javafx.scene.Node getEditor() {
        return c;
      }

      @Override
      public String getValue() {
        return vm.value(field.key()).get();
      }

      @Override
      public void setValue(String value) {
        vm.set(field.key(), value);
      }
    };
  }
}
