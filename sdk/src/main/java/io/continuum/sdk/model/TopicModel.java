package io.continuum.sdk.model;

/**
 * A declared topic; {@code null} options take the cluster's defaults.
 *
 * @param name the topic
 * @param zone its home zone, or {@code null}
 * @param history retained entries, or {@code null}
 * @param maxEntryBytes largest entry, or {@code null}
 */
public record TopicModel(String name, String zone, Long history, Integer maxEntryBytes) {}
