package io.continuum.sdk;

/** A topic an application uses. Unset options take the cluster's defaults. */
public interface TopicDeclaration {

  /** The zone whose nodes host the topic. */
  TopicDeclaration zone(String zone);

  /** How many of the newest entries are retained. */
  TopicDeclaration history(long entries);

  /** The largest entry, in bytes. */
  TopicDeclaration maxEntryBytes(int bytes);
}
