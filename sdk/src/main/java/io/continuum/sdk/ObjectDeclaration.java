package io.continuum.sdk;

/** A replicated object being declared: where it replicates. */
public interface ObjectDeclaration {

  /**
   * The zones whose nodes hold a replica, in order of preference for serving calls from other
   * zones. Without this, the object replicates to every zone of the cluster.
   */
  ObjectDeclaration zones(String... zones);
}
