package io.continuum.node.cli;

import io.continuum.gateway.v1.DeleteObjectRequest;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.ObjectField;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum object ...}: update, read and delete replicated objects; values as JSON. */
@Command(
    name = "object",
    description = "Update, read and delete replicated objects (values print as JSON).",
    mixinStandardHelpOptions = true,
    subcommands = {ObjectCommand.Delete.class, ObjectCommand.Get.class, ObjectCommand.Update.class})
final class ObjectCommand {

  private ObjectCommand() {}

  @Command(
      name = "update",
      description =
          "Apply OP to FIELD of OBJECT, e.g. 'update farm-stats readings increment 5 --type"
              + " pncounter'. Prints the field's new value and the write's version.",
      mixinStandardHelpOptions = true)
  static final class Update implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "OBJECT")
    String object;

    @Parameters(index = "1", paramLabel = "FIELD")
    String field;

    @Parameters(
        index = "2",
        paramLabel = "OP",
        description = "e.g. increment, add, remove, assign, put")
    String op;

    @Parameters(
        index = "3..*",
        paramLabel = "VALUE",
        arity = "0..*",
        description = "The operation's arguments.")
    List<String> values;

    @Option(
        names = "--type",
        description = "Field type, to create the field: pncounter, orset, ormap<V>, ...")
    String type;

    @Option(
        names = "--zones",
        split = ",",
        description = "Zones of a new object (default: every zone with nodes).")
    List<String> zones;

    @Option(names = "--consistency", description = "local (default), majority or all.")
    String consistency;

    @Override
    public Integer call() {
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
        UpdateObjectResponse response = client.objects().update(request.build());
        System.out.println(response.getField().getJson());
        System.err.println("version " + response.getVersion());
        return 0;
      }
    }
  }

  @Command(
      name = "get",
      description =
          "Print FIELD of OBJECT as JSON, or the whole object as a JSON object of its fields.",
      mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "OBJECT")
    String object;

    @Parameters(index = "1", paramLabel = "FIELD", arity = "0..1")
    String field;

    @Option(names = "--consistency", description = "local (default), majority or all.")
    String consistency;

    @Option(names = "--after", description = "A version from update: read that write.")
    String after;

    @Override
    public Integer call() {
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
        GetObjectResponse response = client.objects().get(request.build());
        System.out.println(field != null ? response.getFields(0).getJson() : asJson(response));
        return 0;
      }
    }
  }

  @Command(
      name = "delete",
      description = "Delete OBJECT in all its zones.",
      mixinStandardHelpOptions = true)
  static final class Delete implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "OBJECT")
    String object;

    @Option(names = "--consistency", description = "local (default), majority or all.")
    String consistency;

    @Override
    public Integer call() {
      DeleteObjectRequest.Builder request = DeleteObjectRequest.newBuilder().setObject(object);
      if (consistency != null) {
        request.setConsistency(consistency);
      }
      try (GatewayClient client = gateway.connect()) {
        client.objects().delete(request.build());
        System.out.println("deleted " + object);
        return 0;
      }
    }
  }

  private static String asJson(GetObjectResponse response) {
    StringJoiner json = new StringJoiner(",", "{", "}");
    for (ObjectField field : response.getFieldsList()) {
      json.add("\"" + field.getName() + "\":" + field.getJson());
    }
    return json.toString();
  }
}
