package io.continuum.function;

import io.continuum.sdk.ObjectValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Reads the replicated objects a function type declares it reads, before a handler runs. */
public interface ObjectReader {

  /**
   * The objects as a replica of their zones holds them; an object that does not exist yet reads as
   * empty.
   *
   * @return every object of {@code ids} by id, or a failed stage when one cannot be read
   */
  CompletionStage<Map<String, ObjectValue>> read(List<String> ids);
}
