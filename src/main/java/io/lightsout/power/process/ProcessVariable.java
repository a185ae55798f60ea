package io.lightsout.power.process;

import java.util.Map;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * A process variable's name and type in one place, so no delegate casts {@code getVariable("...")}.
 * Only strings and booleans: Cockpit and Tasklist can read them, and nothing is Java-serialized.
 */
public final class ProcessVariable<T> {

  private final String name;
  private final Class<T> type;

  private ProcessVariable(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  public static ProcessVariable<String> string(String name) {
    return new ProcessVariable<>(name, String.class);
  }

  public static ProcessVariable<Boolean> bool(String name) {
    return new ProcessVariable<>(name, Boolean.class);
  }

  public String name() {
    return name;
  }

  /** The value; a string variable given as another type (a number over REST, say) reads as its text. */
  public T from(VariableScope scope) {
    return convert(scope.getVariable(name));
  }

  public T from(Map<String, Object> variables) {
    return convert(variables.get(name));
  }

  private T convert(Object value) {
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    if (type == String.class) {
      return type.cast(String.valueOf(value));
    }
    if (type == Boolean.class) {
      return type.cast(Boolean.valueOf(String.valueOf(value)));
    }
    throw new IllegalArgumentException("variable " + name + " must be a " + type.getSimpleName());
  }

  public void set(VariableScope scope, T value) {
    scope.setVariable(name, value);
  }

  /**
   * Sets the value on this scope only: inside a parallel multi-instance body, each instance keeps its own
   * value, and concurrent instances never write the same variable.
   */
  public void setLocal(VariableScope scope, T value) {
    scope.setVariableLocal(name, value);
  }

  public void putInto(Map<String, Object> variables, T value) {
    if (value != null) {
      variables.put(name, value);
    }
  }
}
