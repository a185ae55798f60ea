package io.lightsout.power.process;

import java.util.Map;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;

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
   * Sets the value for the rest of this transaction only: a gateway's input or the next step's, never written to
   * the database or to history (where the domain's own tables already say it). Where the instance already holds a
   * stored variable of that name (started by an earlier version, or given at the start), that one is updated instead:
   * the engine does not let one name be both.
   */
  public void setTransient(VariableScope scope, T value) {
    TypedValue stored = scope.getVariableTyped(name);
    scope.setVariable(name, stored != null && !stored.isTransient() ? value : Variables.untypedValue(value, true));
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

  /**
   * Puts a start input that lives for the starting transaction only (see {@link #setTransient}): the first step
   * reads it, the domain's own row keeps it, and neither the runtime tables nor history store a copy.
   */
  public void putTransientInto(Map<String, Object> variables, T value) {
    if (value != null) {
      variables.put(name, Variables.untypedValue(value, true));
    }
  }
}
