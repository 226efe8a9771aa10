package io.continuum.sdk;

/**
 * The address of a function instance.
 *
 * @param type the function type
 * @param id the instance id within the type
 */
public record Address(String type, String id) {

  public Address {
    if (type == null || type.isEmpty() || id == null || id.isEmpty()) {
      throw new IllegalArgumentException("an address needs a function type and an instance id");
    }
  }

  @Override
  public String toString() {
    return type + "/" + id;
  }
}
