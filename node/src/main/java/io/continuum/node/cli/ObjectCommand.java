package io.continuum.node.cli;

import io.continuum.gateway.v1.DeleteObjectRequest;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.ObjectField;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum object ...}: update, read and delete replicated objects; values as JSON. */
@Command(
    name = "object",
    description = "Update, read and delete replicated objects (values print as JSON).",
    mixinStandardHelpOptions = true)
final class ObjectCommand {

  @Command(
      name = "update",
      description =
          "Apply OP to FIELD of OBJECT, e.g. 'update farm-stats readings increment 5 --type"
              + " pncounter'. Prints the field's new value and the write's version.")
  int update(
      @Mixin GatewayOptions gateway,
      @Parameters(paramLabel = "OBJECT") String object,
      @Parameters(paramLabel = "FIELD") String field,
      @Parameters(paramLabel = "OP", description = "e.g. increment, add, remove, assign, put")
          String op,
      @Parameters(paramLabel = "VALUE", arity = "0..*", description = "The operation's arguments.")
          List<String> values,
      @Option(
              names = "--type",
              description = "Field type, to create the field: pncounter, orset, ormap<V>, ...")
          String type,
      @Option(
              names = "--zones",
              split = ",",
              description = "Zones of a new object (default: every zone with nodes).")
          List<String> zones,
      @Option(names = "--consistency", description = "local (default), majority or all.")
          String consistency) {
    UpdateObjectRequest.Builder request =
        UpdateObjectRequest.newBuilder().setObject(object).setField(field).setOp(op);
    if (values != null) {
      request.addAllArgs(values);
    }
    if (type != null) {
      request.setType(type);
    }
    if (zones != null) {
      request.addAllZones(zones);
    }
    if (consistency != null) {
      request.setConsistency(consistency);
    }
    try (GatewayClient client = gateway.connect()) {
      UpdateObjectResponse response = GatewayClient.await(client.objects().update(request.build()));
      System.out.println(response.getField().getJson());
      System.err.println("version " + response.getVersion());
      return 0;
    }
  }

  @Command(
      name = "get",
      description =
          "Print FIELD of OBJECT as JSON, or the whole object as a JSON object of its fields.")
  int get(
      @Mixin GatewayOptions gateway,
      @Parameters(paramLabel = "OBJECT") String object,
      @Parameters(paramLabel = "FIELD", arity = "0..1") String field,
      @Option(names = "--consistency", description = "local (default), majority or all.")
          String consistency,
      @Option(names = "--after", description = "A version from update: read that write.")
          String after) {
    GetObjectRequest.Builder request = GetObjectRequest.newBuilder().setObject(object);
    if (field != null) {
      request.setField(field);
    }
    if (consistency != null) {
      request.setConsistency(consistency);
    }
    if (after != null) {
      request.setAfterVersion(after);
    }
    try (GatewayClient client = gateway.connect()) {
      GetObjectResponse response = GatewayClient.await(client.objects().get(request.build()));
      System.out.println(field != null ? response.getFields(0).getJson() : asJson(response));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete OBJECT in all its zones.")
  int delete(
      @Mixin GatewayOptions gateway,
      @Parameters(paramLabel = "OBJECT") String object,
      @Option(names = "--consistency", description = "local (default), majority or all.")
          String consistency) {
    DeleteObjectRequest.Builder request = DeleteObjectRequest.newBuilder().setObject(object);
    if (consistency != null) {
      request.setConsistency(consistency);
    }
    try (GatewayClient client = gateway.connect()) {
      GatewayClient.await(client.objects().delete(request.build()));
      System.out.println("deleted " + object);
      return 0;
    }
  }

  private static String asJson(GetObjectResponse response) {
    return response.getFieldsList().stream()
        .map(ObjectCommand::entry)
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String entry(ObjectField field) {
    return "\"" + field.getName() + "\":" + field.getJson();
  }
}
