package io.continuum.serialization;

/**
 * Marks every message, event and state of Continuum's own that crosses a node boundary or reaches
 * the journal: they are serialized with Jackson CBOR. Events are versioned through their record
 * shape; add fields with defaults, never change the meaning of an existing one.
 */
public interface CborSerializable {}
