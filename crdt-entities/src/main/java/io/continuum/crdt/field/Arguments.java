package io.continuum.crdt.field;

import java.util.List;

/**
 * The string arguments of one operation or query. Each accessor states the usage it expects, so
 * that a wrong call fails with a message that shows the right one.
 */
final class Arguments {

  private final String prefix;
  private final List<String> values;

  private Arguments(String prefix, List<String> values) {
    this.prefix = prefix;
    this.values = values;
  }

  static Arguments of(List<String> values) {
    return new Arguments("", List.copyOf(values));
  }

  /** Requires no argument. */
  void none(String usage) {
    expectCount(0, 0, usage);
  }

  /** Requires exactly one argument and returns it. */
  String one(String usage) {
    expectCount(1, 1, usage);
    return values.get(0);
  }

  /** Requires exactly two arguments and returns them. */
  List<String> two(String usage) {
    expectCount(2, 2, usage);
    return values;
  }

  /** Accepts an optional positive amount, 1 if absent. */
  long optionalAmount(String usage) {
    expectCount(0, 1, usage);
    return values.isEmpty() ? 1 : amount(values.get(0));
  }

  /** Requires at least one argument and returns the first, e.g. a map key. */
  String first(String usage) {
    expectCount(1, Integer.MAX_VALUE, usage);
    return values.get(0);
  }

  /**
   * The arguments after the first, e.g. those of a map entry's operation after its key. Their usage
   * messages start with {@code usagePrefix}, e.g. {@code "increment <key>"}.
   */
  Arguments rest(String usagePrefix) {
    return new Arguments(usagePrefix + " ", values.subList(1, values.size()));
  }

  private void expectCount(int min, int max, String usage) {
    if (values.size() < min || values.size() > max) {
      throw new IllegalArgumentException(
          "wrong arguments: expected '" + prefix + usage + "', got " + values);
    }
  }

  private static long amount(String text) {
    long amount;
    try {
      amount = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw notAnAmount(text);
    }
    if (amount < 1) {
      throw notAnAmount(text);
    }
    return amount;
  }

  private static IllegalArgumentException notAnAmount(String text) {
    return new IllegalArgumentException(
        "amount must be a whole number from 1 to " + Long.MAX_VALUE + ", got '" + text + "'");
  }
}
