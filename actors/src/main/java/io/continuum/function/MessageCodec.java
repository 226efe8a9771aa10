package io.continuum.function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.model.FunctionModel;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Application messages and state as JSON. Binding is strict — unknown or missing properties fail —
 * so that a client's JSON picks the one declared message type it was written for.
 */
public final class MessageCodec {

  private final ObjectMapper strict =
      JsonMapper.builder()
          .findAndAddModules()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private final ObjectMapper lenient =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** A message or state as JSON bytes. */
  public byte[] encode(Object value) {
    try {
      return lenient.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads JSON written by {@link #encode} (state, or a message whose type is known). */
  public <T> T decode(byte[] json, Class<T> type) {
    try {
      return lenient.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + type.getName() + " from JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Binds a client's JSON to a message type of the function: the type named by {@code typeHint}
   * (simple or full class name) when given, else the first declared type it binds to exactly.
   *
   * @throws RejectedException INVALID_ARGUMENT listing the accepted types
   */
  public Object bind(FunctionModel<?> function, byte[] json, String typeHint) {
    for (Class<?> type : function.handlers().keySet()) {
      if (typeHint != null
          && !typeHint.isEmpty()
          && !typeHint.equals(type.getSimpleName())
          && !typeHint.equals(type.getName())) {
        continue;
      }
      Optional<Object> bound = tryBind(json, type);
      if (bound.isPresent()) {
        return bound.get();
      }
    }
    throw new RejectedException(
        Reason.INVALID_ARGUMENT,
        "the payload does not bind to "
            + (typeHint == null || typeHint.isEmpty() ? "any" : "the named")
            + " message type of function '"
            + function.name()
            + "'; it accepts "
            + acceptedTypes(function));
  }

  /** The message types a function accepts, with their JSON fields, for error messages. */
  public static String acceptedTypes(FunctionModel<?> function) {
    return function.handlers().keySet().stream()
        .map(MessageCodec::describe)
        .collect(Collectors.joining(", "));
  }

  private static String describe(Class<?> type) {
    if (type.isRecord()) {
      return type.getSimpleName()
          + " {"
          + java.util.Arrays.stream(type.getRecordComponents())
              .map(c -> "\"" + c.getName() + "\": " + c.getType().getSimpleName())
              .collect(Collectors.joining(", "))
          + "}";
    }
    return type.getSimpleName();
  }

  private Optional<Object> tryBind(byte[] json, Class<?> type) {
    try {
      return Optional.ofNullable(strict.readValue(json, type));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
